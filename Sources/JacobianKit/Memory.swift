import CSystem

/// Process-wide memory settings for the hot loops.
public enum Memory {
    /// Keeps freed large blocks in the heap instead of returning them to the system, so the next mini-batch's
    /// matrices reuse pages instead of faulting them in again (on this VM a page fault costs microseconds:
    /// without this, an MNIST epoch spent a third of its time in the kernel).
    public static func retainFreedBlocks() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    }
}
