import Crypto
import EventSourcing
import Foundation
import Testing

struct LogCheckpointTests {
    @Test func aCheckpointVerifiesWithItsKeyOverTheDocumentedMessage() throws {
        let key = Curve25519.Signing.PrivateKey()
        let head = Data((0..<32).map { UInt8($0) })
        let checkpoint = try LogCheckpoint.sign(position: 42, head: head, with: key)
        #expect(checkpoint.head == Hex.encode(head))
        #expect(checkpoint.publicKey == Hex.encode(key.publicKey.rawRepresentation))
        #expect(checkpoint.isSigned(by: key.publicKey))
        let message = Data("petition-log-checkpoint\n42\n\(Hex.encode(head))".utf8)
        #expect(key.publicKey.isValidSignature(try #require(Hex.decode(checkpoint.signature)), for: message))
        #expect(!checkpoint.isSigned(by: Curve25519.Signing.PrivateKey().publicKey))
        var moved = checkpoint
        moved.position = 41
        #expect(!moved.isSigned(by: key.publicKey))
    }

    @Test func theStoredDataIsSortedCompactJSONThatParsesBack() throws {
        let checkpoint = try LogCheckpoint.sign(position: 7, head: Data(repeating: 0xab, count: 32), with: Curve25519.Signing.PrivateKey())
        #expect(checkpoint.json.hasPrefix(#"{"head":"abab"#))
        #expect(!checkpoint.json.contains(" "))
        #expect(LogCheckpoint(json: checkpoint.json) == checkpoint)
        #expect(LogCheckpoint(json: #"{"position":1}"#) == nil)
    }

    @Test func hexRefusesOddLengthsAndNonHexDigits() {
        #expect(Hex.decode("0aFf") == Data([0x0a, 0xff]))
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
