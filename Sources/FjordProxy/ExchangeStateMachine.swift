import NIOCore

/// The life of one proxied request, as a value: which attempt is running, what of the request
/// body is kept for a retry, whether the response has started. Every method takes an event and
/// returns what to do; the channel handler only executes (swift-nio's state-machine style, so
/// the logic is tested without sockets).
///
/// Retries replay the request, so its body is kept (as the buffers that arrived, not copies) up
/// to `retryBufferLimit`; a request with a larger body is forwarded without retries, as Envoy's
/// per-request buffer limit does. A retry happens only before any of the response went
/// downstream.
public struct ExchangeStateMachine {
    public enum Phase: Equatable, Sendable {
        /// Waiting for a fault delay before the first attempt.
        case delaying
        /// Waiting for an upstream connection.
        case connecting
        /// Request head sent; waiting for the response head.
        case awaitingResponse
        /// Response head forwarded; streaming the response body.
        case streamingResponse
        /// Waiting before the next attempt.
        case backingOff
        /// The response (forwarded or local) is complete, or the exchange was abandoned.
        case finished
    }

    public private(set) var phase: Phase
    public let retry: RetryPolicy
    public private(set) var attempt = 0
    public private(set) var requestComplete = false
    /// The request's end has been written to the current attempt's connection.
    public private(set) var upstreamRequestComplete = false
    public private(set) var responseStarted = false
    /// Body parts kept for replay; dropped (and retries disabled) past the limit.
    public private(set) var kept: [ByteBuffer] = []
    private var keptBytes = 0
    public private(set) var replayable = true
    public let retryBufferLimit: Int
    /// The status of the last upstream response head (for logs and outlier detection).
    public private(set) var lastStatus: Int?

    public init(retry: RetryPolicy, delayed: Bool, retryBufferLimit: Int = 64 * 1024) {
        self.retry = retry
        self.phase = delayed ? .delaying : .connecting
        self.retryBufferLimit = retryBufferLimit
        if !delayed { attempt = 1 }
    }

    var canRetry: Bool { attempt <= retry.attempts && replayable && !responseStarted }

    // MARK: Request side

    public enum BodyAction: Equatable {
        /// Write the part to the current attempt's connection.
        case forward
        /// Keep it until a connection is up (it is in `kept` or the pending queue).
        case hold
        /// Nothing to do with it (the exchange is finished).
        case drop
    }

    /// A request body part arrived.
    public mutating func requestBody(_ part: ByteBuffer) -> BodyAction {
        if replayable {
            keptBytes += part.readableBytes
            if keptBytes > retryBufferLimit {
                replayable = false
                kept = []
            } else {
                kept.append(part)
            }
        }
        switch phase {
        case .awaitingResponse, .streamingResponse:
            return upstreamRequestComplete ? .drop : .forward
        case .connecting, .delaying, .backingOff:
            return .hold
        case .finished:
            return .drop
        }
    }

    public enum EndAction: Equatable {
        /// Write the request's end upstream and start the route's timeout.
        case forwardEnd
        /// Start the route's timeout; the end goes out with the connection.
        case startTimeout
        /// Nothing.
        case none
    }

    /// The request is complete.
    public mutating func requestEnd() -> EndAction {
        requestComplete = true
        switch phase {
        case .awaitingResponse, .streamingResponse:
            if upstreamRequestComplete { return .none }
            upstreamRequestComplete = true
            return .forwardEnd
        case .connecting, .delaying, .backingOff:
            return .startTimeout
        case .finished:
            return .none
        }
    }

    /// The fault delay is over.
    public mutating func delayElapsed() -> Bool {
        guard phase == .delaying else { return false }
        phase = .connecting
        attempt = 1
        return true
    }

    // MARK: Upstream side

    public enum ConnectedAction: Equatable {
        /// Send the head, then the kept parts (`replay`) or the pending ones, and the end if the
        /// request is complete.
        case send(replayKept: Bool, end: Bool)
        /// The exchange no longer wants it: release the connection.
        case release
    }

    /// A connection for the current attempt is up.
    public mutating func connected() -> ConnectedAction {
        guard phase == .connecting else { return .release }
        phase = .awaitingResponse
        upstreamRequestComplete = requestComplete
        return .send(replayKept: attempt > 1, end: requestComplete)
    }

    public enum FailureAction: Equatable {
        /// Try again after this wait (the handler abandons the current connection).
        case retry(after: TimeAmount)
        /// Answer the client with this status.
        case respond(status: Int, flag: ResponseFlag)
        /// The response already started: close the client's connection.
        case abortDownstream
        /// Nothing (a stale event).
        case ignore
    }

    /// Connecting failed (refused, DNS, connect timeout) or the pool refused (`overflow`).
    public mutating func connectFailed(overflow: Bool, noHealthy: Bool = false, random: UInt64) -> FailureAction {
        guard phase == .connecting else { return .ignore }
        if overflow {
            phase = .finished
            return .respond(status: 503, flag: .upstreamOverflow)
        }
        if noHealthy {
            phase = .finished
            return .respond(status: 503, flag: .noHealthyUpstream)
        }
        if retry.retriesConnectFailure, canRetry { return scheduleRetry(random) }
        phase = .finished
        return .respond(status: 503, flag: attempt > 1 ? .retryLimitExceeded : .upstreamConnectFailure)
    }

    public enum HeadAction: Equatable {
        /// Forward the head downstream.
        case forward
        /// Drop this response (close its connection) and retry after the wait.
        case retry(after: TimeAmount)
        /// Stale: ignore.
        case ignore
    }

    /// The upstream's response head (not an informational one).
    public mutating func responseHead(status: Int, random: UInt64) -> HeadAction {
        guard phase == .awaitingResponse else { return .ignore }
        lastStatus = status
        if retry.retries(status: status), canRetry, requestComplete {
            return .retryAction(scheduleRetry(random))
        }
        phase = .streamingResponse
        responseStarted = true
        return .forward
    }

    /// Response body parts are forwarded while streaming.
    public func responseBodyForwarded() -> Bool { phase == .streamingResponse }

    public enum ResponseEndAction: Equatable {
        /// Forward the end; `reuse` says the upstream connection may go back to the pool (the
        /// whole request was sent and both sides keep alive).
        case complete(reuse: Bool)
        case ignore
    }

    /// The upstream response ended. `keepAlive`: the upstream did not ask to close.
    public mutating func responseEnd(keepAlive: Bool) -> ResponseEndAction {
        guard phase == .streamingResponse else { return .ignore }
        phase = .finished
        return .complete(reuse: keepAlive && upstreamRequestComplete)
    }

    /// The upstream connection closed or failed (before or during the response).
    public mutating func upstreamFailed(random: UInt64) -> FailureAction {
        switch phase {
        case .awaitingResponse:
            if retry.retriesReset, canRetry, requestComplete { return scheduleRetry(random) }
            phase = .finished
            return .respond(status: 503, flag: attempt > 1 ? .retryLimitExceeded : .upstreamTermination)
        case .streamingResponse:
            phase = .finished
            return .abortDownstream
        default:
            return .ignore
        }
    }

    /// The per-try timeout of the current attempt fired.
    public mutating func perTryTimeout(random: UInt64) -> FailureAction {
        guard phase == .awaitingResponse || phase == .connecting else { return .ignore }
        if retry.retriesReset, canRetry, requestComplete { return scheduleRetry(random) }
        phase = .finished
        return .respond(status: 504, flag: .upstreamTimeout)
    }

    /// The route's timeout fired.
    public mutating func routeTimeout() -> FailureAction {
        switch phase {
        case .finished:
            return .ignore
        case .streamingResponse:
            phase = .finished
            return .abortDownstream
        default:
            phase = .finished
            return .respond(status: 504, flag: .upstreamTimeout)
        }
    }

    /// The backoff is over: start the next attempt (connect).
    public mutating func backoffElapsed() -> Bool {
        guard phase == .backingOff else { return false }
        phase = .connecting
        return true
    }

    /// A local response replaced the exchange (or the client went away).
    public mutating func finish() { phase = .finished }

    private mutating func scheduleRetry(_ random: UInt64) -> FailureAction {
        let wait = retry.backoff(retry: attempt, random: random)
        attempt += 1
        phase = .backingOff
        upstreamRequestComplete = false
        return .retry(after: wait)
    }
}

extension ExchangeStateMachine.HeadAction {
    static func retryAction(_ f: ExchangeStateMachine.FailureAction) -> Self {
        if case .retry(let t) = f { return .retry(after: t) }
        return .ignore
    }
}
