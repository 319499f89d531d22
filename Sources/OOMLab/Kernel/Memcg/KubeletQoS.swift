/// Kubernetes' pod QoS classes and the oom_score_adj the kubelet gives each
/// container's processes, so that a node-level OOM kills BestEffort first,
/// then Burstable (most over its request first), Guaranteed last.
/// docs/memcg.md §11. GetContainerOOMScoreAdjust, kubernetes
/// pkg/kubelet/qos/policy.go.
public enum PodQOSClass: String, CaseIterable, Sendable {
    /// Every container has memory and CPU limits equal to its requests.
    case guaranteed = "Guaranteed"
    /// Some request or limit, but not Guaranteed.
    case burstable = "Burstable"
    /// No requests or limits at all.
    case bestEffort = "BestEffort"
}

public enum KubeletOOMScoreAdj {
    /// guaranteedOOMScoreAdj (also node-critical pods). Older kubelets used
    /// -998, which made Burstable's floor 2 instead of 3.
    public static let guaranteed = -997
    /// besteffortOOMScoreAdj.
    public static let bestEffort = 1000
    /// KubeletOOMScoreAdj and KubeProxyOOMScoreAdj.
    public static let kubelet = -999

    /// The oom_score_adj of a container: Guaranteed (or a node-critical
    /// pod) -997; BestEffort 1000; Burstable
    /// `1000 - 1000 * memoryRequest / memoryCapacity` (Go's int64 division,
    /// rounding toward zero), raised to 1000 + (-997) = 3 when lower and
    /// lowered to 999 when exactly 1000 (a Burstable container without a
    /// memory request), so Burstable lies in [3, 999]. `memoryCapacity` is
    /// the node's memory in bytes. nil when the capacity is not positive or
    /// the request negative (the kubelet would divide by zero or trust a
    /// request the API server never admits). The sidecar and pod-level
    /// request refinements of newer kubelets are not modelled.
    /// GetContainerOOMScoreAdjust, pkg/kubelet/qos/policy.go.
    public static func forContainer(qos: PodQOSClass, memoryRequestBytes: Int, memoryCapacityBytes: Int,
                                    nodeCritical: Bool = false) -> Int? {
        guard memoryCapacityBytes > 0, memoryRequestBytes >= 0 else { return nil }
        if nodeCritical { return guaranteed }
        switch qos {
        case .guaranteed: return guaranteed
        case .bestEffort: return bestEffort
        case .burstable: break
        }
        // 1000 * request / capacity in full width: Go's int64 product would
        // overflow for a request above 9.2 PB; this one cannot.
        let share = MemcgArithmetic.mulDiv(1000, memoryRequestBytes, memoryCapacityBytes)
        let adjust = 1000 - min(share, 1_000_000)
        if adjust < 1000 + guaranteed { return 1000 + guaranteed }
        if adjust == bestEffort { return bestEffort - 1 }
        return adjust
    }
}
