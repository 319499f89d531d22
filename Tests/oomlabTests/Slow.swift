import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// A slow suite: it runs the built binary or tmux, steps every shipped
    /// preset or fuzzes the kernel. `OOMLAB_FAST=1 swift test` skips these
    /// and runs the rest (this toolchain's `swift test --skip` takes test
    /// names, not tags).
    static var slow: Self {
        .enabled(if: ProcessInfo.processInfo.environment["OOMLAB_FAST"] != "1",
                 "slow: OOMLAB_FAST=1 skips it")
    }
}
