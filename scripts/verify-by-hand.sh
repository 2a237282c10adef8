#!/usr/bin/env bash
# Verifies one evidence item with stock tools only: sha256sum, age, cast (Foundry) and jq.
# The recipe of docs/verify-with-stock-tools.md, runnable. Prints each check; exits 0 if all hold, 1 if not.
#
#   RPC=http://… CUSTODY=0x… EVIDENCE=0x… FILE=evidence.img SALT=0x… FROM_BLOCK=0 \
#     [AGE_FILE=evidence.img.age IDENTITY=key.txt] scripts/verify-by-hand.sh
set -euo pipefail
: "${RPC:?}" "${CUSTODY:?}" "${EVIDENCE:?}" "${FILE:?}" "${SALT:?}" "${FROM_BLOCK:=0}"
CAST=${CAST:-cast}
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
lower() { tr 'A-F' 'a-f'; }
hex2bin() { local h=${1#0x}; printf "$(echo -n "$h" | sed 's/../\\x&/g')"; }

# 1. What the chain stores for the item.
EVIDENCE_T='evidence(bytes32)((bytes32,bytes32,bytes32,bytes32,bytes2,address,uint8,uint64,bytes2,address,uint40))'
stored=$($CAST call "$CUSTODY" "$EVIDENCE_T" "$EVIDENCE" --rpc-url "$RPC" | tr -d '()' | tr ',' '\n' | sed 's/^ *//')
STORED_PAYLOAD=$(sed -n 2p <<<"$stored" | lower)
STORED_COMMITMENT=$(sed -n 3p <<<"$stored" | lower)
STORED_HEAD=$(sed -n 4p <<<"$stored" | lower)
echo "chain stores: payload $STORED_PAYLOAD, commitment $STORED_COMMITMENT, head $STORED_HEAD"

# 2. The plaintext: SHA-256, then the salted commitment SHA-256("mlat-ledger/content/v1" ‖ salt ‖ sha).
SHA=$(sha256sum "$FILE" | cut -d' ' -f1)
COMMITMENT=0x$( { printf 'mlat-ledger/content/v1'; hex2bin "$SALT"; hex2bin "$SHA"; } | sha256sum | cut -d' ' -f1)
[ "$COMMITMENT" = "$STORED_COMMITMENT" ] && ok "content commitment $COMMITMENT" || bad "content commitment $COMMITMENT != $STORED_COMMITMENT"

# 3. The encrypted payload, if given: its SHA-256 is the payload digest, and it decrypts to the plaintext.
if [ -n "${AGE_FILE:-}" ]; then
  PAYLOAD=0x$(sha256sum "$AGE_FILE" | cut -d' ' -f1)
  [ "$PAYLOAD" = "$STORED_PAYLOAD" ] && ok "payload digest $PAYLOAD" || bad "payload digest $PAYLOAD != $STORED_PAYLOAD"
  if [ -n "${IDENTITY:-}" ]; then
    DEC=$(age -d -i "$IDENTITY" "$AGE_FILE" | sha256sum | cut -d' ' -f1)
    [ "$DEC" = "$SHA" ] && ok "age file decrypts to the plaintext" || bad "age file decrypts to $DEC, not $SHA"
  fi
fi

# 4. The custody chain from the events alone: head_0 from the registration, then one keccak per entry.
REG_T='EvidenceRegistered(bytes32 indexed,bytes32 indexed,bytes2 indexed,address,address,bytes32,bytes32,bytes32,bytes32)'
REC_T='CustodyRecorded(bytes32 indexed,uint64,uint8 indexed,bytes2,address,bytes2,address,bytes32,uint40,bytes32)'
CHAIN_ID=$($CAST chain-id --rpc-url "$RPC")
reg=$($CAST logs --json --address "$CUSTODY" --from-block "$FROM_BLOCK" "$REG_T" "$EVIDENCE" --rpc-url "$RPC")
[ "$(jq length <<<"$reg")" = 1 ] || { bad "expected one registration, found $(jq length <<<"$reg")"; exit 1; }
REQUEST=$(jq -r '.[0].topics[2]' <<<"$reg")
STATE=$(jq -r '.[0].topics[3]' <<<"$reg" | cut -c1-6)
read -r ACCOUNT ACTOR RPAYLOAD RCOMMIT RMANIFEST RHEAD < <($CAST abi-decode --input 'f(address,address,bytes32,bytes32,bytes32,bytes32)' "$(jq -r '.[0].data' <<<"$reg")" | sed 's/ \[[^]]*\]//' | tr '\n' ' '; echo)
HEAD=$($CAST keccak "$($CAST abi-encode 'f(uint256,address,bytes32,bytes32,bytes2,address,address,bytes32,bytes32,bytes32)' \
  "$CHAIN_ID" "$CUSTODY" "$EVIDENCE" "$REQUEST" "$STATE" "$ACCOUNT" "$ACTOR" "$RPAYLOAD" "$RCOMMIT" "$RMANIFEST")")
[ "$HEAD" = "$(lower <<<"$RHEAD")" ] && ok "registration head $HEAD (chain $CHAIN_ID, contract $CUSTODY)" || bad "registration head $HEAD != event's $RHEAD"
entries=$($CAST logs --json --address "$CUSTODY" --from-block "$FROM_BLOCK" "$REC_T" "$EVIDENCE" --rpc-url "$RPC")
n=$(jq length <<<"$entries")
for ((i = 0; i < n; i++)); do
  ACTION=$((16#$(jq -r ".[$i].topics[2]" <<<"$entries" | cut -c3-)))
  read -r SEQ ASTATE ACTOR2 CSTATE CACCOUNT DIGEST EXPIRES EHEAD < <($CAST abi-decode --input \
    'f(uint64,bytes2,address,bytes2,address,bytes32,uint40,bytes32)' "$(jq -r ".[$i].data" <<<"$entries")" | sed 's/ \[[^]]*\]//' | tr '\n' ' '; echo)
  [ "$SEQ" = $((i + 1)) ] || bad "entry $((i + 1)) carries sequence $SEQ"
  HEAD=$($CAST keccak "$($CAST abi-encode 'f(bytes32,uint64,uint8,bytes2,address,bytes2,address,bytes32,uint40)' \
    "$HEAD" "$SEQ" "$ACTION" "$ASTATE" "$ACTOR2" "$CSTATE" "$CACCOUNT" "$DIGEST" "$EXPIRES")")
  [ "$HEAD" = "$(lower <<<"$EHEAD")" ] && ok "entry $SEQ (action $ACTION) head $HEAD" || bad "entry $SEQ head $HEAD != event's $EHEAD"
done
[ "$HEAD" = "$STORED_HEAD" ] && ok "rebuilt head equals the stored head" || bad "rebuilt head $HEAD != stored $STORED_HEAD"
exit $fail
