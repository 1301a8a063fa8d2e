import Foundation
import Messaging
import PetitionDomain
import Testing

@Suite("PersonalDataVault: sealing a citizen's personal data")
struct PersonalDataVaultTests {
    let person = PersonalData(name: "Nguyễn Thị Ánh Tuyết", address: "Tổ 5, khu phố Hòa Bình, phường Tân Mai", phone: "+84 912 345 678")

    @Test("sealed data opens with its key to exactly what was sealed")
    func roundTrip() throws {
        let (key, sealed) = PersonalDataVault.seal(person, personId: "person-1")
        #expect(key.id == "person-1")
        #expect(key.key.count == 32)
        #expect(sealed.personId == "person-1")
        #expect(PersonalDataVault.open(sealed, key: key.key) == person)
        let nameOnly = PersonalData(name: "Lò Văn Páo")
        let (k2, s2) = PersonalDataVault.seal(nameOnly, personId: "person-2")
        #expect(PersonalDataVault.open(s2, key: k2.key) == nameOnly)
    }

    @Test("the sealed form is base64 and shows nothing of the person")
    func sealedFormHidesData() throws {
        let (_, sealed) = PersonalDataVault.seal(person, personId: "person-1")
        let bytes = try #require(Data(base64Encoded: sealed.sealed))
        #expect(bytes.count > 12 + 16)
        for part in ["Nguyễn", "Tuyết", "912", "Hòa Bình", "name"] {
            #expect(!sealed.sealed.contains(part))
            #expect(bytes.firstRange(of: Data(part.utf8)) == nil)
        }
    }

    @Test("sealing the same data twice gives different ciphertexts (fresh nonce, fresh key)")
    func sealingIsRandomised() {
        let (k1, a) = PersonalDataVault.seal(person, personId: "person-1")
        let (k2, b) = PersonalDataVault.seal(person, personId: "person-1")
        #expect(k1.key != k2.key)
        #expect(a.sealed != b.sealed)
        let c = PersonalDataVault.seal(person, personId: "person-1", key: k1.key)
        #expect(c.sealed != a.sealed)
        #expect(PersonalDataVault.open(c, key: k1.key) == person)
    }

    @Test("the wrong key, altered ciphertext or another person's id do not open the data")
    func refusesWrongKeyOrTampering() throws {
        let (key, sealed) = PersonalDataVault.seal(person, personId: "person-1")
        #expect(PersonalDataVault.open(sealed, key: Data(repeating: 0, count: 32)) == nil)

        var bytes = try #require(Data(base64Encoded: sealed.sealed))
        bytes[bytes.count / 2] ^= 0x01
        #expect(PersonalDataVault.open(SealedPersonalData(personId: "person-1", sealed: bytes.base64EncodedString()), key: key.key) == nil)
        #expect(PersonalDataVault.open(SealedPersonalData(personId: "person-2", sealed: sealed.sealed), key: key.key) == nil)
        #expect(PersonalDataVault.open(SealedPersonalData(personId: "person-1", sealed: "not base64!"), key: key.key) == nil)
        #expect(PersonalDataVault.open(SealedPersonalData(personId: "person-1", sealed: ""), key: key.key) == nil)
    }
}
