import OOMLabKernel

/// Padding for the column layouts of the text outputs (run, compare, bench).
extension String {
    /// Right-aligned in `width` columns.
    public func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// Left-aligned in `width` columns, always followed by at least one space.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
