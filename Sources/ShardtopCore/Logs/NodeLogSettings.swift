/// What CONFIG GET logfile / dir answered: each a value or the server's error.
public struct NodeLogSettings: Sendable {
    public var logfile: Result<String, ConfigGetError>
    public var dir: Result<String, ConfigGetError>
    public init(logfile: Result<String, ConfigGetError>, dir: Result<String, ConfigGetError>) {
        self.logfile = logfile
        self.dir = dir
    }
}

/// The server's answer when CONFIG GET is refused, or why it could not be asked.
public struct ConfigGetError: Error, Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}
