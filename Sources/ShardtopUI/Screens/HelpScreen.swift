/// The help screen, generated from the binding table: nothing here is written twice.
enum HelpScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState) {
        var y = area.y
        grid.put("Keys (from the binding table; greyed keys say why they are unavailable)", x: 1, y: y, role: .header)
        y += 1
        if !state.journalPath.isEmpty {
            var x = grid.put("Action journal: ", x: 1, y: y, role: .dim)
            x = grid.put(state.journalPath, x: x, y: y, role: .normal, maxWidth: area.width - x - 1)
            y += 1
        }
        let keyWidth = 12
        let whereWidth = 12
        for binding in Bindings.all {
            guard y < area.maxY else { break }
            let reason = binding.applies(to: state.screen) ? binding.disabledReason(state) : nil
            let role: StyleRole = reason != nil ? .footerDisabled : binding.danger == .destructive ? .danger : .normal
            var x = grid.put(Format.cell(binding.keyText, keyWidth), x: 1, y: y, role: .footerKey)
            x = grid.put(Format.cell("\(binding.scope)", whereWidth), x: x + 1, y: y, role: .dim)
            let text = binding.help + (reason.map { "  (\($0))" } ?? "")
            grid.put(text, x: x + 1, y: y, role: role, maxWidth: area.width - x - 2)
            y += 1
        }
    }
}
