import OOMLabKernel

extension Policy {
    /// Every switch in `PolicySwitch.all` order, a number where the value is
    /// one (as `run` and `compare` print it; "era": 2015 is a number too).
    public var json: JSON {
        .object(PolicySwitch.all.map { s in
            let value = s.read(self)
            return (s.key.rawValue, Int(value).map { .int($0) } ?? .string(value))
        })
    }
}
