import FjordProxy
import NIOCore
import Testing

/// The exchange's decisions without sockets.
@Suite struct ExchangeStateMachineTests {
    typealias M = ExchangeStateMachine

    static let retry503 = RetryPolicy(attempts: 2, retryOn: "503")

    @Test func plainExchange() {
        var m = M(retry: .none, delayed: false)
        #expect(m.phase == .connecting && m.attempt == 1)
        #expect(m.requestEnd() == .startTimeout)
        #expect(m.connected() == .send(replayKept: false, end: true))
        #expect(m.responseHead(status: 200, random: 0) == .forward)
        #expect(m.responseBodyForwarded())
        #expect(m.responseEnd(keepAlive: true) == .complete(reuse: true))
        #expect(m.phase == .finished)
    }

    @Test func streamingRequestBody() {
        var m = M(retry: .none, delayed: false)
        let part = ByteBuffer(string: "abc")
        #expect(m.requestBody(part) == .hold)
        #expect(m.connected() == .send(replayKept: false, end: false))
        #expect(m.requestBody(part) == .forward)
        #expect(m.requestEnd() == .forwardEnd)
        #expect(m.requestEnd() == .none)
    }

    @Test func retriesOnRetriableStatusThenForwardsTheLast() {
        var m = M(retry: Self.retry503, delayed: false)
        _ = m.requestEnd()
        _ = m.connected()
        guard case .retry(let wait) = m.responseHead(status: 503, random: 12345) else {
            Issue.record("expected a retry")
            return
        }
        // First retry: jitter in [0, 25 ms).
        #expect(wait < .milliseconds(25))
        #expect(m.phase == .backingOff && m.attempt == 2)
        do { let ok = m.backoffElapsed(); #expect(ok) }
        #expect(m.connected() == .send(replayKept: true, end: true))
        if case .retry = m.responseHead(status: 503, random: 1) {} else { Issue.record("expected a second retry") }
        do { let ok = m.backoffElapsed(); #expect(ok) }
        _ = m.connected()
        // Attempts exhausted (2 retries): the 503 goes to the client.
        #expect(m.responseHead(status: 503, random: 1) == .forward)
        #expect(m.attempt == 3)
    }

    @Test func nonRetriableStatusIsForwarded() {
        var m = M(retry: Self.retry503, delayed: false)
        _ = m.requestEnd()
        _ = m.connected()
        #expect(m.responseHead(status: 500, random: 0) == .forward)
    }

    @Test func bodiesOverTheBufferLimitAreNotRetried() {
        var m = M(retry: RetryPolicy(attempts: 3, retryOn: "5xx"), delayed: false, retryBufferLimit: 4)
        _ = m.requestBody(ByteBuffer(string: "abc"))
        #expect(m.replayable && m.kept.count == 1)
        _ = m.requestBody(ByteBuffer(string: "defg"))
        #expect(!m.replayable && m.kept.isEmpty)
        _ = m.connected()
        _ = m.requestEnd()
        #expect(m.responseHead(status: 503, random: 0) == .forward)
    }

    @Test func connectFailures() {
        var m = M(retry: RetryPolicy(attempts: 1, retryOn: "connect-failure"), delayed: false)
        _ = m.requestEnd()
        if case .retry = m.connectFailed(overflow: false, random: 0) {} else { Issue.record("expected a retry") }
        do { let ok = m.backoffElapsed(); #expect(ok) }
        #expect(m.connectFailed(overflow: false, random: 0) == .respond(status: 503, flag: .retryLimitExceeded))
        var o = M(retry: RetryPolicy(attempts: 3, retryOn: "5xx"), delayed: false)
        #expect(o.connectFailed(overflow: true, random: 0) == .respond(status: 503, flag: .upstreamOverflow))
        var n = M(retry: .none, delayed: false)
        #expect(
            n.connectFailed(overflow: false, noHealthy: true, random: 0)
                == .respond(status: 503, flag: .noHealthyUpstream))
        var plain = M(retry: .none, delayed: false)
        #expect(plain.connectFailed(overflow: false, random: 0) == .respond(status: 503, flag: .upstreamConnectFailure))
    }

    @Test func resetsAndTimeouts() {
        var m = M(
            retry: RetryPolicy(attempts: 1, perTryTimeout: .milliseconds(100), retryOn: "gateway-error"), delayed: false
        )
        _ = m.requestEnd()
        _ = m.connected()
        if case .retry = m.perTryTimeout(random: 0) {
        } else {
            Issue.record("per-try timeout should retry on gateway-error")
        }
        do { let ok = m.backoffElapsed(); #expect(ok) }
        _ = m.connected()
        #expect(m.upstreamFailed(random: 0) == .respond(status: 503, flag: .retryLimitExceeded))
        var t = M(retry: .none, delayed: false)
        _ = t.connected()
        #expect(t.routeTimeout() == .respond(status: 504, flag: .upstreamTimeout))
        #expect(t.routeTimeout() == .ignore)
        // Once the response started, failures close the client's connection.
        var s = M(retry: RetryPolicy(attempts: 2, retryOn: "5xx,reset"), delayed: false)
        _ = s.requestEnd()
        _ = s.connected()
        _ = s.responseHead(status: 200, random: 0)
        #expect(s.upstreamFailed(random: 0) == .abortDownstream)
        var r = M(retry: .none, delayed: false)
        _ = r.connected()
        _ = r.responseHead(status: 200, random: 0)
        #expect(r.routeTimeout() == .abortDownstream)
    }

    @Test func faultDelayComesFirst() {
        var m = M(retry: .none, delayed: true)
        #expect(m.phase == .delaying && m.attempt == 0)
        #expect(m.requestBody(ByteBuffer(string: "x")) == .hold)
        do { let ok = m.delayElapsed(); #expect(ok) }
        #expect(m.attempt == 1 && m.phase == .connecting)
    }

    @Test func staleEventsAreIgnored() {
        var m = M(retry: .none, delayed: false)
        #expect(m.responseHead(status: 200, random: 0) == .ignore)
        #expect(m.responseEnd(keepAlive: true) == .ignore)
        m.finish()
        #expect(m.connected() == .release)
        #expect(m.upstreamFailed(random: 0) == .ignore)
        #expect(m.requestBody(ByteBuffer(string: "x")) == .drop)
    }

    @Test func earlyResponseDoesNotReuseTheConnection() {
        var m = M(retry: .none, delayed: false)
        _ = m.connected()
        _ = m.responseHead(status: 413, random: 0)
        // The request body is still coming: the connection cannot be reused.
        #expect(m.responseEnd(keepAlive: true) == .complete(reuse: false))
    }

    @Test func retryPolicyParsing() {
        let p = RetryPolicy(attempts: 3, retryOn: "5xx, gateway-error,connect-failure,retriable-status-codes,409,418")
        #expect(p.on5xx && p.onGatewayError && p.onConnectFailure)
        #expect(p.statusCodes == [409, 418])
        #expect(p.retries(status: 500) && p.retries(status: 418) && !p.retries(status: 404))
        let g = RetryPolicy(attempts: 1, retryOn: "gateway-error")
        #expect(g.retries(status: 502) && g.retries(status: 504) && !g.retries(status: 500))
        #expect(g.retriesReset && g.retriesConnectFailure)
        let c = RetryPolicy(attempts: 1, retryOn: "connect-failure")
        #expect(!c.retriesReset && c.retriesConnectFailure && !c.retries(status: 503))
        // Backoff: fully jittered, growing, capped at 10 × base.
        for n in 1...8 {
            for r: UInt64 in [0, 1, 999, UInt64.max / 3, UInt64.max] {
                let b = p.backoff(retry: n, random: r)
                #expect(b >= .zero && b < .milliseconds(250))
            }
        }
        #expect(p.backoff(retry: 1, random: UInt64.max) < .milliseconds(25))
    }
}
