import ArgumentParser
import ShardtopConfig
import ShardtopCore
import ShardtopApp
import ShardtopLogs
import ShardtopRedis

/// The log-source selector for a context: its log-command (checked here, so a bad template is
/// one error naming the config file and line before anything starts) and its pod names.
enum LogSelection {
    static func selector(for context: ClusterContext?) throws(ExitCode) -> LogSourceSelector {
        guard let context, let text = context.logCommand else { return LogSourceSelector(template: nil, pods: context?.pods ?? [:]) }
        do {
            return LogSourceSelector(template: try LogCommandTemplate(parsing: text), pods: context.pods)
        } catch {
            throw fail("\(ConfigFileLocation.describe(context)): \(error)")
        }
    }
}
