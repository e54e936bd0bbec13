import Foundation
import NIOConcurrencyHelpers

/// What a test waits for: threads that change some state call `changed()` after the change;
/// `wait(timeout:until:)` blocks until the condition holds, woken by each change rather than
/// by a timer, and gives up at the bound.
final class Changes: Sendable {
    private let condition = NSCondition()

    func changed() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `done()` held within `timeout` seconds.
    @discardableResult
    func wait(timeout: TimeInterval, until done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !done() {
            if !condition.wait(until: deadline) { return done() }
        }
        return true
    }
}

/// A value a background thread produces once, and a bounded wait for it.
final class Eventually<T: Sendable>: Sendable {
    private let value = NIOLockedValueBox<T?>(nil)
    private let changes = Changes()

    func set(_ v: T) {
        value.withLockedValue { $0 = v }
        changes.changed()
    }

    /// The value, once set; nil if it is not set within `timeout` seconds.
    func wait(timeout: TimeInterval) -> T? {
        changes.wait(timeout: timeout) { value.withLockedValue { $0 } != nil }
        return value.withLockedValue { $0 }
    }

    var current: T? { value.withLockedValue { $0 } }
}
