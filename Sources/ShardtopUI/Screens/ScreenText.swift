import ShardtopCore

/// Wording and roles several screens share, so a node's health or a scrolled list reads the
/// same on every screen.
enum ScreenText {
    /// "unreachable-from-here" is precise but too wide for a table cell; the detail view spells it out.
    static func health(_ health: NodeHealth) -> String {
        health == .unreachable ? "unreachable" : health.rawValue
    }

    static func healthRole(_ health: NodeHealth) -> StyleRole {
        switch health {
        case .ok: .ok
        case .fail, .unreachable: .error
        case .pfail, .handshake, .noaddr, .loading: .warning
        }
    }

    /// Replica link as one word: syncing beats up/down because it explains why lag is high.
    static func link(_ node: SnapshotNode) -> (text: String, role: StyleRole) {
        if node.syncInProgress == true {
            return ("sync \(Format.percent(node.syncPercent))", .warning)
        }
        if let status = node.primaryLinkStatus { return (status, status == "up" ? .ok : .error) }
        // Primaries have no replication link; show the cluster-bus link instead.
        return node.linkConnected ? ("conn", .normal) : ("disc", .error)
    }

    /// Address and short id, the way events and the cursor line name a node.
    static func name(_ id: String?, in snapshot: ClusterSnapshot?, withID: Bool = true) -> String {
        guard let id else { return "-" }
        guard let node = snapshot?.node(id: id) else { return Format.shortID(id) }
        return withID ? "\(node.address) (\(Format.shortID(node.id)))" : "\(node.address)"
    }

    /// The brief's wording uses an em dash; an ASCII-only glyph set must get ASCII text too.
    static func dash(_ glyphs: Glyphs) -> String {
        glyphs.full.isASCII ? "-" : "\u{2014}"
    }

    /// First visible line of a list of `count` lines in `visible` rows, starting at `offset`
    /// but never leaving blank rows at the bottom when there is more to show.
    static func scrollStart(offset: Int, count: Int, visible: Int) -> Int {
        max(0, min(offset, count - max(1, visible)))
    }

    /// Splits text into lines of at most `width` scalars, breaking at spaces where it can;
    /// the last allowed line keeps the rest (the grid clips it).
    static func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
        guard width > 0, maxLines > 0 else { return [] }
        var rest = Array(text.unicodeScalars)
        var lines: [String] = []
        while !rest.isEmpty, lines.count < maxLines {
            var take = rest.count
            if rest.count > width && lines.count < maxLines - 1 {
                // Break at the last space in reach, unless that would leave most of the line empty.
                let space = rest[..<width].lastIndex(of: " ") ?? 0
                take = space > width / 2 ? space : width
            }
            var line = String.UnicodeScalarView()
            line.append(contentsOf: rest.prefix(take))
            lines.append(String(line))
            rest = Array(rest.dropFirst(take).drop { $0 == " " })
        }
        return lines
    }

    /// Writes "+N more" (dim) when `hidden` lines did not fit.
    static func more(_ grid: inout Grid, hidden: Int, x: Int, y: Int, width: Int, noun: String = "more") {
        guard hidden > 0 else { return }
        grid.put("+\(hidden) \(noun)", x: x, y: y, role: .dim, maxWidth: width)
    }
}
