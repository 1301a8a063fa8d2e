import Messaging
import Testing

struct CheckpointScheduleTests {
    static let second: UInt64 = 1_000_000_000

    @Test func aCheckpointIsDueEveryNRecordsSinceTheLastOne() {
        var schedule = CheckpointSchedule(everyRecords: 100, everySeconds: 3600, lastCheckpointRecord: 0, nowNanos: 0)
        #expect(!schedule.isDue(head: 99, nowNanos: Self.second))
        #expect(schedule.isDue(head: 100, nowNanos: Self.second))
        schedule.appended(at: 101, nowNanos: Self.second)
        #expect(!schedule.isDue(head: 101, nowNanos: 2 * Self.second), "the checkpoint itself does not make another due")
        #expect(schedule.isDue(head: 201, nowNanos: 2 * Self.second))
    }

    @Test func aCheckpointIsDueAfterTheIntervalOnlyWhenTheHeadMoved() {
        var schedule = CheckpointSchedule(everyRecords: 10_000, everySeconds: 60, lastCheckpointRecord: 50, nowNanos: 0)
        #expect(!schedule.isDue(head: 50, nowNanos: 120 * Self.second), "nothing new to sign")
        #expect(!schedule.isDue(head: 51, nowNanos: 59 * Self.second))
        #expect(schedule.isDue(head: 51, nowNanos: 60 * Self.second))
        schedule.postpone(nowNanos: 60 * Self.second)
        #expect(!schedule.isDue(head: 51, nowNanos: 61 * Self.second), "a failed attempt waits for the next interval")
    }

    @Test func aGatewayRestartedMoreOftenThanTheIntervalStillSignsOnTimeCountingFromTheLastCheckpoint() {
        // The last checkpoint was signed 50 s before this start; the interval is 60 s.
        let now = 1_000 * Self.second
        let schedule = CheckpointSchedule(everyRecords: 10_000, everySeconds: 60, lastCheckpointRecord: 50, secondsAgo: 50, nowNanos: now)
        #expect(!schedule.isDue(head: 51, nowNanos: now + 9 * Self.second))
        #expect(schedule.isDue(head: 51, nowNanos: now + 10 * Self.second), "due 60 s after the last checkpoint, not 60 s after the start")
        let overdue = CheckpointSchedule(everyRecords: 10_000, everySeconds: 60, lastCheckpointRecord: 50, secondsAgo: 7_200, nowNanos: now)
        #expect(overdue.isDue(head: 51, nowNanos: now), "a checkpoint older than the interval makes one due at once")
    }

    @Test func zeroTurnsEachTriggerOff() {
        let schedule = CheckpointSchedule(everyRecords: 0, everySeconds: 0, lastCheckpointRecord: 0, nowNanos: 0)
        #expect(!schedule.isDue(head: 1_000_000, nowNanos: 1_000_000 * Self.second))
    }
}
