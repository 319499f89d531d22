extension Array {
    /// In an array sorted by `tick(element)`, the index of the first element
    /// whose tick is greater than `tick` (binary search).
    func end(through tick: Int, by key: (Element) -> Int) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if key(self[mid]) <= tick { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
