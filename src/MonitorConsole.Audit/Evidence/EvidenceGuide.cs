using System.Globalization;
using MonitorConsole.Audit.Checkpoints;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// VERIFY.md: how an auditor checks the pack — with MonitorConsole in one command, or step by step with sha256sum,
/// openssl, bash and jq. The shell steps are run by the tests against real packs, so they stay true.
/// </summary>
public static class EvidenceGuide
{
    /// <summary>The bash functions of step 6, also run by the tests.</summary>
    public const string ProofFunctions = """
        hex2bin() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }
        leaf_hash() { { printf '\000'; hex2bin "$1"; } | sha256sum | cut -c1-64; }
        node_hash() { { printf '\001'; hex2bin "$1"; hex2bin "$2"; } | sha256sum | cut -c1-64; }
        # verify_inclusion SEQUENCE: folds the entry's audit path (RFC 9162, 2.1.3.2) up to the checkpoint's root.
        verify_inclusion() {
          local seq=$1 size root entry r fn sn p
          size=$(sed -n 2p checkpoint/statement.txt); root=$(sed -n 4p checkpoint/statement.txt)
          entry=$(jq -r --argjson s "$seq" '.entries[] | select(.sequence == $s) | .entry_hash' entries.json)
          set -- $(grep "^{\"sequence\":$seq," inclusion-proofs.jsonl | grep -o '[0-9a-f]\{64\}')
          if [ -z "$entry" ] || [ $# -eq 0 ]; then echo "entry $seq: no entry or no proof"; return 1; fi
          if [ "$(leaf_hash "$entry")" != "$1" ]; then echo "entry $seq: leaf hash differs"; return 1; fi
          r=$1; shift; fn=$((seq - 1)); sn=$((size - 1))
          for p in "$@"; do
            if [ "$sn" -eq 0 ]; then echo "entry $seq: audit path too long"; return 1; fi
            if [ $((fn & 1)) -eq 1 ] || [ "$fn" -eq "$sn" ]; then
              r=$(node_hash "$p" "$r")
              while [ $((fn & 1)) -eq 0 ] && [ "$fn" -ne 0 ]; do fn=$((fn >> 1)); sn=$((sn >> 1)); done
            else
              r=$(node_hash "$r" "$p")
            fi
            fn=$((fn >> 1)); sn=$((sn >> 1))
          done
          if [ "$sn" -eq 0 ] && [ "$r" = "$root" ]; then echo "entry $seq: proven (root $root)"; else echo "entry $seq: NOT proven"; return 1; fi
        }
        """;

    public static string Write(Checkpoint checkpoint)
    {
        var anchored = checkpoint.TimestampToken is not null;
        var size = checkpoint.TreeSize.ToString(CultureInfo.InvariantCulture);
        return $$"""
            # Checking this evidence pack

            This pack holds audit-ledger entries with the proof that they are part of the ledger as a signed
            checkpoint of {{size}} entries describes it (`{{checkpoint.Timestamp}}`, key id `{{checkpoint.KeyId}}`,
            Merkle root `{{checkpoint.MerkleRoot}}`). Nothing in it needs MonitorConsole to be checked, but
            two things must come from outside the pack, or a forger could have made them too:

            - **the ledger's public checkpoint key** (or its key id, `{{checkpoint.KeyId}}`), published by the
              ledger's owner — not `checkpoint/public-key.pem` from this pack alone;
            - **the time-stamping authority's root certificate** ({{(anchored ? "the checkpoint carries a timestamp token" : "this checkpoint carries no timestamp token, so there is no time anchor to check")}}).

            And one record from the ledger itself: making this pack appended an `EVIDENCE_PACK_MADE` entry whose
            `sha256` is that of the zip. `sha256sum pack.zip` must print that value.

            ## In one command

                monitorconsole audit verify-evidence pack.zip --public-key ledger-key.pem --tsa-cert tsa-root.pem

            It runs every check below and exits 0 when none fails, 1 when one does. Without `--public-key` and
            `--tsa-cert` it still checks everything else and says what it could not vouch for.

            ## Step by step (bash, sha256sum, openssl, jq)

            Unzip the pack into an empty folder and run these there.

            1. **The files are whole.** `sha256sum -c SHA256SUMS` prints OK for every file. This catches damage,
               not forgery: whoever changes a file can rewrite SHA256SUMS. Steps 3 to 6 catch forgery.

            2. **The statement is the checkpoint.** `cat checkpoint/statement.txt` shows six lines: the format, the
               tree size ({{size}}), the newest entry's hash, the Merkle root, the time and the key id. They must be
               the `tree_size`, `entry_hash`, `merkle_root`, `timestamp` and `key_id` of `checkpoint.json`.

            3. **The ledger's key signed it.**

                   openssl dgst -sha256 -verify ledger-key.pem -signature checkpoint/signature.der checkpoint/statement.txt

               prints `Verified OK`. The key id is the first 16 hex digits of the SHA-256 of the key's DER form:
               `openssl pkey -pubin -in ledger-key.pem -outform DER | sha256sum | cut -c1-16` prints `{{checkpoint.KeyId}}`.

            4. **It existed at the time the TSA says.**{{(anchored ? "" : " (This checkpoint has no token: skip this step.)")}}

                   openssl ts -verify -token_in -in checkpoint/timestamp.tst -data checkpoint/statement.txt -CAfile tsa-root.pem

               prints `Verification: OK`; `openssl ts -reply -token_in -in checkpoint/timestamp.tst -text` shows
               the time (`Time stamp:`). The ledger cannot be rewritten to look older than that.

            5. **Each entry's hashes hold.** For entry N, its data hash is the SHA-256 of its `data` text:

                   jq -j --argjson n N '.entries[] | select(.sequence == $n) | .data' entries.json | sha256sum

               equals its `data_hash` (an erased entry has `"data": null` and `"data_erased": true`; an
               `ERASURE` entry in the pack names it by sequence and entry hash). Its `entry_hash` is the SHA-256 of
               its canonical JSON (docs/hash-chain.md of MonitorConsole gives the exact rules):

                   jq -j --argjson n N '.entries[] | select(.sequence == $n) | {action, actor, data_hash, details, entry_id, previous_hash, resource_id, resource_type, sequence, timestamp} | tojson' entries.json | sha256sum

               (jq writes the character U+007F as `\u007f` where the canonical form keeps it as is; no other
               difference.)

            6. **Each entry is in the signed tree.** `inclusion-proofs.jsonl` holds one Merkle audit path per entry.
               Paste these bash functions, then run `verify_inclusion N` for an entry:

            ```bash
            {{ProofFunctions}}
            ```

               Each leaf is SHA-256 of a 0 byte and the entry hash's 32 bytes; each node SHA-256 of a 1 byte and
               its two children (RFC 9162). `verify_inclusion` must print `proven` with the root of step 2.

            ## What the pack proves, and what it does not

            - Steps 3 to 6 show that each entry here was in the ledger, exactly as here, when the checkpoint was
              signed — and, with step 4, no later than the TSA's time. An entry altered, added or removed since
              would not lead to the signed root.
            - A trail is a selection: the pack cannot show that no other entry about the same person or resource
              exists. `report.html` says which filter made the selection, and the ledger's record of the pack says
              who made it and when.
            - `report.html`, `report.pdf` and `manifest.json` are the pack's own account, for people and programs;
              the checks above do not rely on them.
            """;
    }
}
