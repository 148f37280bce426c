/// What a cell means, not how it looks. Widgets draw roles; a theme maps each role to colours and
/// attributes. Keeping colour out of widgets is what lets one screen serve dark, light,
/// high-contrast and mono terminals, and lets tests compare screens without a theme.
public enum StyleRole: String, CaseIterable, Sendable, Hashable {
    case normal
    case dim
    case title
    case header
    case border
    case tabActive
    case tabInactive
    case footerKey
    case footerLabel
    case footerDisabled
    case selected
    case cursor
    case ok
    case info
    case warning
    case error
    case primary
    case replica
    case bar
    case barWarning
    case barError
    case barEmpty
    case sparkline
    case slotUncovered
    case slotMigrating
    case slotImporting
    case shard0, shard1, shard2, shard3, shard4, shard5, shard6, shard7
    case dialog
    case danger
    case input

    /// Shards cycle through eight colours; neighbours in slot order get different ones.
    public static func shard(_ index: Int) -> StyleRole {
        let palette: [StyleRole] = [.shard0, .shard1, .shard2, .shard3, .shard4, .shard5, .shard6, .shard7]
        return palette[((index % palette.count) + palette.count) % palette.count]
    }
}
