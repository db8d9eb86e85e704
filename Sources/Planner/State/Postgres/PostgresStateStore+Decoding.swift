import Foundation

/// Reading stored states: the JSON body through the state file's decoder and limits, the serial column within
/// range; a problem names the database and says how to restore.
extension PostgresStateStore {
    /// The `serial` column, when it is in range (it is read back and incremented).
    func checked(_ serial: Int64) throws(StateError) -> Int {
        guard (0...Int64(StateLimits.serial)).contains(serial) else {
            throw .database(
                location: location,
                reason:
                    "the stored state is corrupt: its serial column is \(serial), outside 0...\(StateLimits.serial); "
                    + "restore a previous version from tailor_state_history (it is never replaced automatically)")
        }
        return Int(serial)
    }

    func decode(_ body: String) throws(StateError) -> State {
        do {
            return try StateStore.decode(Data(body.utf8), file: location)
        } catch .corrupt(_, let reason) {
            throw .database(
                location: location,
                reason: "the stored state is corrupt: \(reason); restore a previous version from "
                    + "tailor_state_history (it is never replaced automatically)")
        } catch .unsupportedVersion(_, let version, let highest) {
            throw .database(
                location: location,
                reason: "the stored state has version \(version), but this Tailor reads versions up to \(highest); "
                    + "upgrade Tailor")
        } catch {
            throw error
        }
    }
}
