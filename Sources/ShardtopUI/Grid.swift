/// One character cell: a single-width scalar and the role it plays.
public struct Cell: Equatable, Sendable {
    public var scalar: Unicode.Scalar
    public var role: StyleRole

    public init(_ scalar: Unicode.Scalar = " ", role: StyleRole = .normal) {
        self.scalar = scalar
        self.role = role
    }

    public static let blank = Cell()
}

/// An in-memory screen. Every frame is rendered into a fresh grid; the terminal layer draws only
/// the cells that differ from the last frame. Tests print grids as text plus role runs.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes text from (x, y), clipped to `maxWidth` and the grid. Control and wide characters
    /// are replaced, so node-supplied text can never move the cursor or break alignment.
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for scalar in text.unicodeScalars {
            guard column < limit else { break }
            if column >= 0 { self[column, y] = Cell(Self.displayable(scalar), role: role) }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one scalar and role.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, scalar: Unicode.Scalar = " ", role: StyleRole = .normal) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = Cell(scalar, role: role)
            }
        }
    }

    /// Changes the role of a span without touching its characters (for highlighting a row).
    public mutating func paint(x: Int, y: Int, width w: Int, role: StyleRole) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) { self[column, y].role = role }
    }

    static func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) { return "?" }
        // East Asian wide and emoji ranges take two columns; one cell per column is the contract.
        if (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
            || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
            || (0xFE30...0xFE4F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
            || (0x1F300...0x1FAFF).contains(scalar.value) || (0x20000...0x3FFFD).contains(scalar.value) {
            return "?"
        }
        return scalar
    }

    // MARK: - Text form, for snapshot tests and debugging

    public func line(_ y: Int) -> String {
        var text = String.UnicodeScalarView()
        for x in 0..<width { text.append(self[x, y].scalar) }
        return String(text)
    }

    public var lines: [String] { (0..<height).map(line) }

    /// Role runs of one row: "0-9 title, 10-79 normal".
    public func roleRuns(_ y: Int) -> String {
        var runs: [String] = []
        var start = 0
        for x in 1...max(1, width) {
            if x == width || self[x, y].role != self[start, y].role {
                runs.append("\(start)-\(x - 1) \(self[start, y].role.rawValue)")
                start = x
            }
        }
        return runs.joined(separator: ", ")
    }

    /// Text then role runs, the recorded form of a screen.
    public var recorded: String {
        var out = "size \(width)x\(height)\n"
        for y in 0..<height { out += "|" + line(y) + "|\n" }
        out += "roles\n"
        for y in 0..<height { out += "\(y): \(roleRuns(y))\n" }
        return out
    }
}
