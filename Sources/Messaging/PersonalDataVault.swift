import Crypto
import EventSourcing
import Foundation
import PetitionDomain

/// Seals and opens personal data with a per-person AES-256-GCM key kept outside the log.
///
/// Destroying a person's key makes every sealed copy unreadable (crypto-shredding)
/// while the log, and its hash chain, stays as it was.
public enum PersonalDataVault {
    /// A fresh key for a new person, kept with the folded name they can be found by, and their data sealed under it.
    ///
    /// Each person's key is their own 32 random bytes; the key and the nonce come from ``RandomBytes``, one
    /// kernel call per few hundred people instead of several per person.
    public static func seal(_ data: PersonalData, personId: String) -> (SecretKey, SealedPersonalData) {
        let keyData = Data(RandomBytes.bytes(32))
        return (SecretKey(id: personId, key: keyData, searchName: searchName(data)), seal(data, personId: personId, key: keyData))
    }

    /// The text a person is found by (`people.find`): their name folded, diacritics and case ignored.
    public static func searchName(_ data: PersonalData) -> String { SearchText.fold(data.name) }

    /// Seals `data` under an existing key.
    public static func seal(_ data: PersonalData, personId: String, key: Data) -> SealedPersonalData {
        var json = "{"
        if let address = data.address { json += "\"address\":"; JSONText.appendString(address, to: &json); json += "," }
        json += "\"name\":"
        JSONText.appendString(data.name, to: &json)
        if let phone = data.phone { json += ",\"phone\":"; JSONText.appendString(phone, to: &json) }
        json += "}"
        // AES-GCM with a random 96-bit nonce cannot fail for a 256-bit key.
        let nonce = try! AES.GCM.Nonce(data: RandomBytes.bytes(12))
        let box = try! AES.GCM.seal(Array(json.utf8), using: SymmetricKey(data: key), nonce: nonce, authenticating: Array(personId.utf8))
        return SealedPersonalData(personId: personId, sealed: box.combined!.base64EncodedString())
    }

    /// Opens sealed data; nil if the key does not fit or the data was altered.
    public static func open(_ sealed: SealedPersonalData, key: Data) -> PersonalData? {
        guard let combined = Data(base64Encoded: sealed.sealed),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: Data(sealed.personId.utf8)) else { return nil }
        return try? JSONDecoder().decode(PersonalData.self, from: plain)
    }
}
