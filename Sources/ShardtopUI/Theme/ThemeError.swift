/// Why a theme could not be used. Rendered as `file:line: message` (compiler style) so editors and
/// terminals can jump to the offending line; `file` is nil for problems that belong to no file
/// (an unknown theme name), `line` is nil for problems of the file as a whole (a missing role).
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(file: String?, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (file, line) {
        case let (file?, line?): return "\(file):\(line): \(message)"
        case let (file?, nil): return "\(file): \(message)"
        case let (nil, line?): return "line \(line): \(message)"
        case (nil, nil): return message
        }
    }
}
