import Foundation
import Testing
import ZeroMQ

@Suite("ZMQ PUB and SUB with prefix subscriptions")
struct PubSubTests {
    @Test("a subscriber gets only the messages whose first frame starts with its prefix, in order")
    func prefixSubscription() throws {
        try withContext { (context: ZMQContext) throws in
            let publisher = try context.socket(.pub)
            defer { publisher.close() }
            let endpoint = try bindLoopback(publisher)
            let subscriber = try context.socket(.sub)
            defer { subscriber.close() }
            try subscriber.subscribe("petition.")
            try subscriber.connect(endpoint)

            // Wait until the subscription has reached the publisher (the "slow joiner").
            var joined = false
            for _ in 0..<100 where !joined {
                try publisher.send([bytes("petition.ping")])
                joined = try receive(subscriber, timeoutMs: 50) != nil
            }
            try #require(joined, "the subscription never reached the publisher")

            try publisher.send([bytes("session.opened.v1"), bytes("{}")])
            try publisher.send([bytes("petition.submitted.v1"), bytes(#"{"n":1}"#)])
            try publisher.send([bytes("petitio"), bytes("too short")])
            try publisher.send([bytes("Petition.answered.v1"), bytes("wrong case")])
            try publisher.send([bytes("petition.answered.v1"), bytes(#"{"n":2}"#)])

            var received: [[[UInt8]]] = []
            while received.last?.first != bytes("petition.answered.v1") {
                let message = try #require(try receive(subscriber), "expected petition.answered.v1")
                if message.first != bytes("petition.ping") { received.append(message) }
            }
            #expect(received == [
                [bytes("petition.submitted.v1"), bytes(#"{"n":1}"#)],
                [bytes("petition.answered.v1"), bytes(#"{"n":2}"#)],
            ])
        }
    }

    @Test("a subscriber with no subscription receives nothing")
    func noSubscriptionNoMessages() throws {
        try withContext { (context: ZMQContext) throws in
            let publisher = try context.socket(.pub)
            defer { publisher.close() }
            let subscriber = try context.socket(.sub)
            defer { subscriber.close() }
            try subscriber.connect(try bindLoopback(publisher))
            for _ in 0..<5 {
                try publisher.send([bytes("petition.submitted.v1")])
                Thread.sleep(forTimeInterval: 0.02)
            }
            #expect(try receive(subscriber, timeoutMs: 100) == nil)
        }
    }
}
