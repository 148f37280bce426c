import ArgumentParser
import ShardtopLab

/// The bounds LabCluster.start enforces, said before a server binary is looked for; `lab` and
/// the benches build labs and share them.
public enum LabShape {
    public static func check(primaries: Int, replicas: Int) throws(ValidationError) {
        try NumericOption.check(primaries, "--primaries", 1...LabSize.maxPrimaries)
        try NumericOption.check(replicas, "--replicas", 0...5)
        if let problem = LabSize(nodes: primaries * (1 + replicas)).problem { throw ValidationError(problem) }
    }
}
