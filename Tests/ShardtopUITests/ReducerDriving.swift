import ShardtopCore
@testable import ShardtopUI

/// Keys sent through the pure reducer, as an operator types them: what the reducer, action and
/// membership tests share.
protocol ReducerDriving {}

extension ReducerDriving {
    /// Handles each key in turn and returns every effect they asked for.
    @discardableResult
    func press(_ keys: Key..., on state: inout AppState) -> [Effect] {
        keys.flatMap { Reducer.handle(key: $0, state: &state) }
    }

    func type(_ text: String, on state: inout AppState) {
        for character in text { press(.character(character), on: &state) }
    }

    /// The nodes screen's selection moved to the first row that matches; returns that row.
    @discardableResult
    func select(_ state: inout AppState, where matches: (SnapshotNode) -> Bool) -> SnapshotNode {
        let rows = NodesScreenModel.rows(state)
        state.nodes.selected = rows.firstIndex(where: matches)!
        return rows[state.nodes.selected]
    }
}
