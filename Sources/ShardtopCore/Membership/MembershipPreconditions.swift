extension ActionPreconditions {
    /// What blocks a membership change: every error finding except those only about `ids` (the
    /// dead node a forget or replace is there to clear, or the node being removed). The headless
    /// commands and the dashboard ask the same question.
    public static func blockingProblems(_ snapshot: ClusterSnapshot, exceptAbout ids: Set<String>) -> [Finding] {
        blockingProblems(snapshot).filter { finding in finding.nodes.isEmpty || !Set(finding.nodes).isSubset(of: ids) }
    }
}
