#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# shellcheck disable=SC2317 # helpers are called through wait_until
# The simulated host against a guest that is not ours.  hv_echo, bound by
# driver_override to the synthetic SCSI controller and to a synthetic NIC,
# sends packets our drivers never send and reads the host's answers, so
# these fidelity rows (tests/simhost/README.md, FIDELITY-netvsp.md) are
# checked against the reference, not against our guest:
#   StorVSP (OpenVMM storvsp parse_packet, process_primary): every packet is
#   answered in its own size up to 64 bytes; an operation out of the
#   initialization order gets INVALID_DEVICE_STATE; REVISION_MISMATCH for a
#   version it does not know; an unknown operation, or a packet that asks
#   for no completion, ends the service of the channel (no answer, then or
#   later) until the guest opens it again.  GPA ranges are read for SRBs
#   only (Range::new): exactly one, at least the transfer length (cut to
#   it); two ranges or a shorter one, or a transfer in an in-band SRB,
#   end the channel's service.  Any data_in but DATA_OUT (unknown
#   included) runs as data-in; REPORT LUNS into a DATA_OUT buffer is
#   INVALID_REQUEST; a transfer above max_transfer_bytes is carried out
#   (no limit in OpenVMM).  Zero GPA ranges: the ring is corrupt
#   (vmbus_ring parse_packet), not tested here (hv_vmbus cannot send it).
#   A disk behind the passthrough (QEMU scsi-hd HVLIS-RAW0 at 1:0, OpenVMM
#   scsidisk handle_data_cdb): READ/WRITE move data as their CDB says,
#   whatever data_in says, a READ into a DATA_OUT buffer is INVALID_REQUEST;
#   a READ/WRITE larger than the backing queue takes in one request is
#   carried out (split).
#   NetVSP (OpenVMM netvsp): a message before INIT, a second INIT or
#   NDIS_VERSION, a type above the negotiated version and an unknown type get
#   no answer; INIT_COMPLETE for 6.1: {0xffffffff, 34, SUCCESS} in 28 bytes,
#   for 0.2: {2, 34, SUCCESS}; OID_QUERY_EX {NOT_SUPPORTED, 0};
#   SWITCH_DATA_PATH an empty completion.  RNDIS control messages by
#   GPA-direct (handle_rndis_message, handle_rndis_control_message):
#   KEEPALIVE_C {id, SUCCESS}; the control queue refuses (FAILURE) past
#   100 KiB of data after the headers; RESET, INDICATE_STATUS, SET_EX and
#   unknown types, an INITIALIZE once initialized, and an INITIALIZE,
#   QUERY, SET or KEEPALIVE shorter than its request (read_plain), are
#   completed SUCCESS, not answered, and end the primary's service; a HALT
#   of any length is ignored.
#   IC framework (OpenVMM hyperv_ic common.rs): the host sends NEGOTIATE
#   first; an answer of another type while negotiating is dropped (stale),
#   an answer while no request is outstanding is dropped (unsolicited).
# vm: timeout=420
# vm: modules=virtio_pci,virtio_scsi
# vm: disk=raw0:8M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:raw0},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-RAW0
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost/storvsp
N=/sys/kernel/debug/hv_simhost/netvsp
E=/sys/kernel/debug/hv_echo
B=/sys/bus/vmbus

# le32 V: V as 4 little-endian bytes in hex
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) \
		$((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
Z4=00000000

# dev_of CLASS: the VMBus device of that class id
dev_of() {
	for _d in "$B"/devices/*; do
		[ "$(cat "$_d/class_id")" = "{$1}" ] && { echo "${_d##*/}"; return 0; }
	done
	return 1
}

# raw_bind DEV: hand DEV to hv_echo, whatever driver had it
raw_bind() {
	[ -e "$B/devices/$1/driver" ] &&
		{ echo "$1" >"$B/devices/$1/driver/unbind" || case_fail "unbind $1"; }
	echo hv_echo >"$B/devices/$1/driver_override" || case_fail "driver_override $1"
	echo "$1" >$B/drivers/hv_echo/bind || case_fail "bind $1 to hv_echo"
	wait_for "$E/$1/raw" 10 || case_fail "$1: no raw file after bind"
}

raw_unbind() { echo "$1" >$B/drivers/hv_echo/unbind || case_fail "unbind $1 from hv_echo"; }

# answered DEV: something arrived (debugfs files have no size for test -s)
answered() { [ -n "$(head -c 1 "$E/$1/raw")" ]; }

# send DEV FLAGS HEX [WAIT]: send one packet, then wait WAIT s (default 5)
# for an answer; sets $ans to its line ("" if none)
send() {
	echo clear >"$E/$1/raw"
	echo "send $2 $3" >"$E/$1/raw" || case_fail "send $3 refused by the guest"
	wait_until "${4:-5}" answered "$1" && sleep 0.5	# a second answer would show
	ans=$(head -n 1 "$E/$1/raw")
	[ "$(wc -l <"$E/$1/raw")" -le 1 ] || case_fail "more than one answer: $(cat "$E/$1/raw")"
}

# gsend DEV OFF LEN HEX [WAIT]: as send, HEX in band with the raw guest's
# pool bytes OFF..OFF+LEN as GPA-direct data (a range per page: several
# when they cross a page), completion requested
gsend() {
	echo clear >"$E/$1/raw"
	echo "gpa $2 $3 $4" >"$E/$1/raw" || case_fail "gpa $2 $3 $4 refused by the guest"
	wait_until "${5:-5}" answered "$1" && sleep 0.5
	ans=$(head -n 1 "$E/$1/raw")
	[ "$(wc -l <"$E/$1/raw")" -le 1 ] || case_fail "more than one answer: $(cat "$E/$1/raw")"
}

# poke DEV OFF HEX: HEX into the pool; pool_hex DEV OFF LEN: LEN pool bytes
poke() { echo "poke $2 $3" >"$E/$1/raw" || case_fail "poke $2 refused"; }
pool_hex() { head -n 1 "$E/$1/pool" | cut -c$(($2 * 2 + 1))-$((($2 + $3) * 2)); }
zeros() { printf "%0$(($1 * 2))d" 0; }

# field NAME: NAME=value of $ans; hexat OFF LEN: LEN bytes at OFF of its payload
field() { echo "$ans" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
hexat() { echo "${ans##* }" | cut -c$(($1 * 2 + 1))-$((($1 + $2) * 2)); }

# expect_answer WHAT LEN STATUS: a completion of LEN payload bytes whose
# vstor status is STATUS (le32 hex)
expect_answer() {
	[ -n "$ans" ] || case_fail "$1: no answer"
	[ "$(field type)" = 11 ] || case_fail "$1: packet type $(field type), want 11 (completion): $ans"
	[ "$(field len)" = "$2" ] || case_fail "$1: $(field len) bytes, want $2: $ans"
	[ "$(hexat 0 4)" = "$(le32 1)" ] || case_fail "$1: operation $(hexat 0 4), want COMPLETE_IO: $ans"
	[ "$(hexat 8 4)" = "$3" ] || case_fail "$1: status $(hexat 8 4), want $3: $ans"
}

counter() { tr ' ' '\n' <$S | grep -A1 -x "$1" | tail -n 1; }

# vstor OP [PAYLOAD_HEX]: a vstor packet, flags = REQUEST_COMPLETION
vstor() { echo "$(le32 "$1")$(le32 1)$Z4${2:-}"; }

# sp_raw_init DEV: bind the StorVSP device DEV to hv_echo and initialize it
# (BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION 6.2, QUERY_PROPERTIES,
# END_INITIALIZATION), each answered SUCCESS
sp_raw_init() {
	raw_bind "$1"
	for op in 7 "9 $(le32 0x0602)" "10 $(zeros 52)" 8; do
		# shellcheck disable=SC2086 # op and its payload
		send "$1" 1 "$(vstor $op)"
		ok_answer "initialization ($op)"
	done
}

SUCCESS=$Z4
BAD_STATE=$(le32 0xc0000184)
MISMATCH=$(le32 0xc0000059)

load_hvlis devices=scsi,nic,heartbeat scsi_backing=null:1M@0:1,HVLIS-RAW0@1:0 || case_fail "load failed"
# virtio_pci is a module on 6.1, built in on 6.12
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
wait_until 20 grep -q 'serial HVLIS-RAW0 backing [0-9]' $S ||
	case_fail "backing device not claimed: $(cat $S)"
load_module hv_echo || case_fail "hv_echo did not load"
scsi=$(dev_of ba6163d9-04a1-4d29-b605-72e2ffb1dc7f) || case_fail "no SCSI controller offered"
nic=$(dev_of f8615163-df3e-46c5-913f-f2d2f965ed0e) || case_fail "no NIC offered"
hb=$(dev_of 57164f39-9115-4e78-ab55-382f3bd5422d) || case_fail "no heartbeat IC offered"

# ---- StorVSP ----
raw_bind "$scsi"
bad0=$(counter bad_state) drop0=$(counter dropped)
send "$scsi" 1 "$(vstor 10)"
expect_answer "QUERY_PROPERTIES before BEGIN_INITIALIZATION" 16 "$BAD_STATE"
[ "$(counter bad_state)" = $((bad0 + 1)) ] || case_fail "bad_state $(counter bad_state), want $((bad0 + 1))"
send "$scsi" 1 "$(vstor 7)"
expect_answer "BEGIN_INITIALIZATION (header + 4 bytes)" 16 "$SUCCESS"
send "$scsi" 1 "$(vstor 9 "$(le32 0x0777)")"
expect_answer "QUERY_PROTOCOL_VERSION 7.119" 16 "$MISMATCH"
# 72 bytes: the answer is cut at 64 (the largest vstor packet)
send "$scsi" 1 "$(vstor 9 "$(le32 0x0602)$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4")"
expect_answer "QUERY_PROTOCOL_VERSION 6.2 in 72 bytes" 64 "$SUCCESS"
[ "$(hexat 12 2)" = 0206 ] || case_fail "version echoed as $(hexat 12 2), want 0206"
send "$scsi" 1 "$(vstor 8)"
expect_answer "END_INITIALIZATION before QUERY_PROPERTIES" 16 "$BAD_STATE"
# an operation no host knows (COMPLETE_IO is host to guest only)
send "$scsi" 1 "$(vstor 1)" 2
[ -z "$ans" ] || case_fail "unknown operation answered: $ans"
[ "$(counter dropped)" = $((drop0 + 1)) ] || case_fail "dropped $(counter dropped), want $((drop0 + 1))"
send "$scsi" 1 "$(vstor 10)" 2
[ -z "$ans" ] || case_fail "channel still served after an unknown operation: $ans"
log "StorVSP: size-matched answers, init order, unknown operation ends the channel's service"

# a new open is served again; a packet asking for no completion ends it too
raw_unbind "$scsi"
raw_bind "$scsi"
send "$scsi" 1 "$(vstor 7)"
expect_answer "BEGIN_INITIALIZATION after reopen" 16 "$SUCCESS"
send "$scsi" 0 "$(vstor 9 "$(le32 0x0602)")" 2
[ -z "$ans" ] || case_fail "packet without COMPLETION_REQUESTED answered: $ans"
send "$scsi" 1 "$(vstor 9 "$(le32 0x0602)")" 2
[ -z "$ans" ] || case_fail "channel still served after a packet without COMPLETION_REQUESTED: $ans"
[ "$(counter dropped)" = $((drop0 + 2)) ] || case_fail "dropped $(counter dropped), want $((drop0 + 2))"
raw_unbind "$scsi"

# GPA-direct packets (OpenVMM storvsp parse_packet, Range::new): the ranges
# are read for EXECUTE_SRB only (other operations ignore them, however
# many); an SRB takes exactly one range of at least data_transfer_length
# bytes (a longer one is cut to it); several ranges or a shorter one end
# the service of the channel.
# srb_inquiry LEN: EXECUTE_SRB, INQUIRY to 0:0:0 reading LEN bytes
srb_inquiry() {
	vstor 3 "340000000000000006140100$(le32 "$1")12000000$(printf %02x "$1")00$(zeros 14)$(zeros 16)"
}
ok_answer() {
	[ "$(field type)/$(hexat 0 4)/$(hexat 8 4)" = "11/$(le32 1)/$SUCCESS" ] ||
		case_fail "$1: want COMPLETE_IO SUCCESS, got '$ans'"
}
raw_bind "$scsi"
drop0=$(counter dropped)
# BEGIN_INITIALIZATION carrying two GPA ranges (12240..12336 crosses a page)
gsend "$scsi" 12240 96 "$(vstor 7)"
ok_answer "BEGIN_INITIALIZATION with two GPA ranges"
send "$scsi" 1 "$(vstor 9 "$(le32 0x0602)")"
ok_answer "QUERY_PROTOCOL_VERSION 6.2"
send "$scsi" 1 "$(vstor 10 "$(zeros 52)")"
ok_answer "QUERY_PROPERTIES"
send "$scsi" 1 "$(vstor 8)"
ok_answer "END_INITIALIZATION"
# one range of 512 bytes for an SRB of 36: served, 36 bytes moved
poke "$scsi" 8192 "$(zeros 512)"
gsend "$scsi" 8192 512 "$(srb_inquiry 36)"
ok_answer "INQUIRY, one range longer than the transfer"
[ "$(hexat 14 1)" = 01 ] || case_fail "INQUIRY srb_status $(hexat 14 1), want 01: $ans"
[ "$(hexat 24 4)" = "$(le32 36)" ] || case_fail "INQUIRY moved $(hexat 24 4), want 36: $ans"
[ "$(pool_hex "$scsi" 8200 8)" != "$(zeros 8)" ] || case_fail "INQUIRY: no vendor id in the guest's buffer"
[ "$(pool_hex "$scsi" 8228 8)" = "$(zeros 8)" ] || case_fail "INQUIRY wrote past the transfer length"
# two ranges (48 + 48 bytes): no answer, the channel no longer served
gsend "$scsi" 12240 96 "$(srb_inquiry 96)" 2
[ -z "$ans" ] || case_fail "SRB with two GPA ranges answered: $ans"
[ "$(counter dropped)" = $((drop0 + 1)) ] || case_fail "dropped $(counter dropped), want $((drop0 + 1))"
gsend "$scsi" 8192 512 "$(srb_inquiry 36)" 2
[ -z "$ans" ] || case_fail "channel still served after an SRB with two ranges: $ans"
raw_unbind "$scsi"
# one range shorter than the transfer: the same
sp_raw_init "$scsi"
gsend "$scsi" 8192 32 "$(srb_inquiry 36)" 2
[ -z "$ans" ] || case_fail "SRB with a range shorter than the transfer answered: $ans"
[ "$(counter dropped)" = $((drop0 + 2)) ] || case_fail "dropped $(counter dropped), want $((drop0 + 2))"
raw_unbind "$scsi"
log "StorVSP: GPA ranges ignored outside SRBs; SRB: one range, cut to the transfer; two or a short one end the channel's service"

# The data direction (OpenVMM Range::new(): data_in != DATA_OUT makes the
# buffer writable by the device, so "unknown" (2) and any other value run
# as data-in) and transfers above max_transfer_bytes (no check in OpenVMM's
# parse_packet() or execute_scsi(): the SRB goes to the disk or to the
# host's own answers).  LUN 0:1 is the null backend (a disk of zeros).
# srb T L DIR LEN CDB: EXECUTE_SRB to 0:T:L, data_in DIR, transfer LEN
srb() {
	_c=$(printf '%s' "$5" | cut -c1-40)
	vstor 3 "340000000000$(printf %02x "$1")$(printf %02x "$2")$(printf %02x $((${#_c} / 2)))14$(printf %02x "$3")00$(le32 "$4")$_c$(zeros $((20 - ${#_c} / 2)))$(zeros 16)"
}
REPORT_LUNS_16=a00000000000000000100000
READ10_1=28000000000000000100
moved_is() {
	[ "$(hexat 24 4)" = "$(le32 "$2")" ] || case_fail "$1: moved $(hexat 24 4), want $2: $ans"
}
sp_raw_init "$scsi"
drop0=$(counter dropped)
# REPORT LUNS (the host's own answer), data_in 2 (unknown) and 3: written
# as for data-in: 8-byte header + LUN 1
for dir in 2 3; do
	poke "$scsi" 8192 "$(zeros 16)"
	gsend "$scsi" 8192 16 "$(srb 0 0 "$dir" 16 $REPORT_LUNS_16)"
	ok_answer "REPORT LUNS, data_in $dir"
	moved_is "REPORT LUNS, data_in $dir" 16
	[ "$(pool_hex "$scsi" 8192 16)" = 00000008000000000001000000000000 ] ||
		case_fail "REPORT LUNS, data_in $dir: list $(pool_hex "$scsi" 8192 16)"
done
# READ(10) of one block from the null disk, data_in unknown: zeros read
poke "$scsi" 8704 "$(zeros 512 | tr 0 f)"
gsend "$scsi" 8704 512 "$(srb 0 1 2 512 $READ10_1)"
ok_answer "READ(10), data_in unknown"
moved_is "READ(10), data_in unknown" 512
[ "$(pool_hex "$scsi" 8704 512)" = "$(zeros 512)" ] || case_fail "READ(10), data_in unknown: buffer not read into"
log "StorVSP: data_in unknown (2) and 3 run as data-in"
# 528 blocks = 270336 bytes > max_transfer_bytes (262144), in one range
# (pages wrap round the raw guest's 64 KiB pool): the null disk reads
# them (SUCCESS); a disk that is not there answers INVALID_LUN (0x20 with
# CHECK CONDITION; vstor status DEVICE_DOES_NOT_EXIST); the channel goes on
big=270336
echo clear >"$E/$scsi/raw"
echo "gpa1 0 $big $(srb 0 1 1 $big 28000000000000021000)" >"$E/$scsi/raw" || case_fail "gpa1 refused by the guest"
wait_until 10 answered "$scsi" && sleep 0.5
ans=$(head -n 1 "$E/$scsi/raw")
ok_answer "READ(10) of $big bytes"
moved_is "READ(10) of $big bytes" $big
echo clear >"$E/$scsi/raw"
echo "gpa1 0 $big $(srb 0 0 1 $big 28000000000000021000)" >"$E/$scsi/raw" || case_fail "gpa1 refused by the guest"
wait_until 10 answered "$scsi" && sleep 0.5
ans=$(head -n 1 "$E/$scsi/raw")
[ "$(field type)/$(hexat 0 4)/$(hexat 8 4)/$(hexat 14 2)" = "11/$(le32 1)/$(le32 0xc00000c0)/2002" ] ||
	case_fail "READ(10) of $big bytes to no disk: want COMPLETE_IO DEVICE_DOES_NOT_EXIST INVALID_LUN CHECK CONDITION, got '$ans'"
gsend "$scsi" 8192 16 "$(srb 0 0 1 16 $REPORT_LUNS_16)"
ok_answer "REPORT LUNS after transfers above max_transfer_bytes"
[ "$(counter dropped)" = "$drop0" ] || case_fail "dropped $(counter dropped), want $drop0"
log "StorVSP: an SRB above max_transfer_bytes is carried out"
# REPORT LUNS into a DATA_OUT buffer: OpenVMM's writer refuses it
# (RequestBuffers read-only): INVALID_REQUEST (+ AUTOSENSE_VALID), CHECK
# CONDITION, ILLEGAL REQUEST / INVALID FIELD IN CDB, nothing written
poke "$scsi" 8192 "$(zeros 16 | tr 0 f)"
gsend "$scsi" 8192 16 "$(srb 0 0 0 16 $REPORT_LUNS_16)"
[ "$(field type)/$(hexat 14 2)/$(hexat 30 1)/$(hexat 40 1)" = 11/8602/05/24 ] ||
	case_fail "REPORT LUNS into a DATA_OUT buffer: want INVALID_REQUEST, CHECK CONDITION, sense 05/24, got '$ans'"
moved_is "REPORT LUNS into a DATA_OUT buffer" 0
[ "$(pool_hex "$scsi" 8192 16)" = "$(zeros 16 | tr 0 f)" ] ||
	case_fail "REPORT LUNS wrote into a DATA_OUT buffer: $(pool_hex "$scsi" 8192 16)"
# an in-band SRB with a transfer has no range for it: Range::new() fails
# (InvalidDataTransferLength), the channel's worker ends
send "$scsi" 1 "$(srb_inquiry 36)" 2
[ -z "$ans" ] || case_fail "in-band SRB with a transfer answered: $ans"
[ "$(counter dropped)" = $((drop0 + 1)) ] || case_fail "dropped $(counter dropped), want $((drop0 + 1))"
send "$scsi" 1 "$(vstor 10)" 2
[ -z "$ans" ] || case_fail "channel still served after an in-band SRB with a transfer: $ans"
raw_unbind "$scsi"
log "StorVSP: REPORT LUNS into a DATA_OUT buffer refused; an in-band SRB with a transfer ends the channel's service"

# The passthrough to a disk (HVLIS-RAW0 at 1:0, 512-byte blocks).  OpenVMM
# scsidisk handle_data_cdb(): READ/WRITE(6/10/12/16) move data as their CDB
# says: a WRITE reads the guest's buffer whatever data_in is (a reader of
# RequestBuffers is never refused), a READ writes it, which a DATA_OUT
# buffer refuses (AccessError::ReadOnly → DiskError::MemoryAccess →
# process_result(): INVALID_REQUEST, CHECK CONDITION, ILLEGAL REQUEST /
# INVALID FIELD IN CDB, nothing moved).  validate_data_cdb*() bound them by
# the buffer and the disk's size only: any length is carried out.
sp_raw_init "$scsi"
drop0=$(counter dropped)
# QEMU's disk answers its first command with the UNIT ATTENTION of its
# power-on (QEMU's behaviour; OpenVMM's disk has one only after a
# capacity change): TEST UNIT READY until GOOD
for i in 1 2 3; do
	send "$scsi" 1 "$(srb 1 0 1 0 000000000000)"
	[ "$(hexat 14 2)" = 0100 ] && break
done
ok_answer "TEST UNIT READY ($i)"
# WRITE(10) of one block (0x55) at LBA 100 with data_in DATA_IN
poke "$scsi" 8192 "$(zeros 512 | tr 0 5)"
gsend "$scsi" 8192 512 "$(srb 1 0 1 512 2a000000006400000100)"
ok_answer "WRITE(10) with data_in DATA_IN"
moved_is "WRITE(10) with data_in DATA_IN" 512
poke "$scsi" 8704 "$(zeros 512)"
gsend "$scsi" 8704 512 "$(srb 1 0 1 512 28000000006400000100)"
ok_answer "READ(10) of LBA 100"
[ "$(pool_hex "$scsi" 8704 512)" = "$(zeros 512 | tr 0 5)" ] ||
	case_fail "WRITE(10) with data_in DATA_IN: LBA 100 reads $(pool_hex "$scsi" 8704 16)..."
# READ(10) into a DATA_OUT buffer: refused, the buffer untouched
poke "$scsi" 8704 "$(zeros 512 | tr 0 f)"
gsend "$scsi" 8704 512 "$(srb 1 0 0 512 28000000006400000100)"
[ "$(field type)/$(hexat 14 2)/$(hexat 30 1)/$(hexat 40 1)" = 11/8602/05/24 ] ||
	case_fail "READ(10) into a DATA_OUT buffer: want INVALID_REQUEST, CHECK CONDITION, sense 05/24, got '$ans'"
moved_is "READ(10) into a DATA_OUT buffer" 0
[ "$(pool_hex "$scsi" 8704 512)" = "$(zeros 512 | tr 0 f)" ] ||
	case_fail "READ(10) wrote into a DATA_OUT buffer: $(pool_hex "$scsi" 8704 16)..."
log "StorVSP passthrough: WRITE with data_in DATA_IN written, READ into a DATA_OUT buffer refused"
# 1 MiB (2048 blocks) in one range, more than the backing queue takes in
# one request (its limits in the debugfs LUN line): written and read back
grep 'HVLIS-RAW0' $S
lim=$(sed -n 's/.*HVLIS-RAW0.* max_hw_sectors \([0-9]*\) max_segments \([0-9]*\).*/\1 \2/p' $S)
if [ -n "$lim" ]; then
	[ $((${lim% *} * 512)) -lt 1048576 ] || [ $((${lim#* } * 4096)) -lt 1048576 ] ||
		case_fail "the backing queue takes 1 MiB in one request ($lim): no split to test"
fi
big=1048576
poke "$scsi" 0 "$(zeros 16 | tr 0 a)"
poke "$scsi" 65520 "$(zeros 16 | tr 0 b)"
# gxfer WHAT SRB: the SRB with pool bytes 0..1 MiB as one range
gxfer() {
	echo clear >"$E/$scsi/raw"
	echo "gpa1 0 $big $2" >"$E/$scsi/raw" || case_fail "gpa1 refused by the guest"
	wait_until 20 answered "$scsi" && sleep 0.5
	ans=$(head -n 1 "$E/$scsi/raw")
	ok_answer "$1"
	moved_is "$1" $big
}
gxfer "WRITE(10) of 1 MiB at LBA 2048" "$(srb 1 0 0 $big 2a000000080000080000)"
poke "$scsi" 0 "$(zeros 16)"
poke "$scsi" 65520 "$(zeros 16)"
poke "$scsi" 8192 "$(zeros 512)"
gsend "$scsi" 8192 512 "$(srb 1 0 1 512 280000000fff00000100)"
ok_answer "READ(10) of LBA 4095"
[ "$(pool_hex "$scsi" 8688 16)" = "$(zeros 16 | tr 0 b)" ] ||
	case_fail "WRITE(10) of 1 MiB: its last block reads $(pool_hex "$scsi" 8688 16) at its end, want bb..."
gxfer "READ(10) of 1 MiB at LBA 2048" "$(srb 1 0 1 $big 28000000080000080000)"
[ "$(pool_hex "$scsi" 0 16)/$(pool_hex "$scsi" 65520 16)" = "$(zeros 16 | tr 0 a)/$(zeros 16 | tr 0 b)" ] ||
	case_fail "READ(10) of 1 MiB: pool $(pool_hex "$scsi" 0 16)/$(pool_hex "$scsi" 65520 16)"
gxfer "WRITE(16) of 1 MiB at LBA 4096" "$(srb 1 0 0 $big 8a000000000000001000000008000000)"
gxfer "READ(16) of 1 MiB at LBA 4096" "$(srb 1 0 1 $big 88000000000000001000000008000000)"
[ "$(counter dropped)" = "$drop0" ] || case_fail "dropped $(counter dropped), want $drop0"
raw_unbind "$scsi"
log "StorVSP passthrough: READ/WRITE(10/16) of 1 MiB carried out"

# ---- NetVSP ----
nref() { sed -n "s/^refused_$1 //p" $N; }
raw_bind "$nic"
order0=$(nref order)
# NDIS_VERSION (100) before INIT
send "$nic" 1 "$(le32 100)$(le32 6)$(le32 30)" 2
[ -z "$ans" ] || case_fail "NVSP message before INIT answered: $ans"
[ "$(nref order)" = $((order0 + 1)) ] || case_fail "refused_order $(nref order), want $((order0 + 1))"
send "$nic" 1 "$(le32 1)$(le32 0x60001)$(le32 0x60001)"
[ -n "$ans" ] || case_fail "INIT 6.1: no answer"
[ "$(field len)" = 32 ] || case_fail "INIT_COMPLETE $(field len) bytes, want 28 (32 padded): $ans"
[ "$(hexat 0 16)" = "$(le32 2)ffffffff$(le32 34)$(le32 1)" ] ||
	case_fail "INIT_COMPLETE $(hexat 0 16), want type 2, 0xffffffff, 34, SUCCESS"
send "$nic" 1 "$(le32 1)$(le32 0x60001)$(le32 0x60001)" 2
[ -z "$ans" ] || case_fail "second INIT answered: $ans"
[ "$(nref order)" = $((order0 + 2)) ] || case_fail "refused_order $(nref order), want $((order0 + 2))"
# NDIS_VERSION: an empty completion, once only
send "$nic" 1 "$(le32 100)$(le32 6)$(le32 30)"
[ "$(field type)/$(field len)" = 11/0 ] ||
	case_fail "NDIS_VERSION: want an empty completion, got '$ans'"
send "$nic" 1 "$(le32 100)$(le32 6)$(le32 30)" 2
[ -z "$ans" ] || case_fail "second NDIS_VERSION answered: $ans"
# 5.0 and later: OID_QUERY_EX is answered NOT_SUPPORTED; 4.0 and later:
# SWITCH_DATA_PATH gets an empty completion (no VF: the path stays synthetic)
send "$nic" 1 "$(le32 131)$Z4$Z4$Z4"
[ "$(hexat 0 12)" = "$(le32 132)$(le32 0xc00000bb)$Z4" ] ||
	case_fail "OID_QUERY_EX: want {132, NOT_SUPPORTED, 0}, got '$ans'"
send "$nic" 1 "$(le32 129)$(le32 1)"
[ "$(field type)/$(field len)" = 11/0 ] ||
	case_fail "SWITCH_DATA_PATH: want an empty completion, got '$ans'"
unk0=$(nref unknown_type)
send "$nic" 1 "$(le32 999)$Z4" 2
[ -z "$ans" ] || case_fail "unknown NVSP type answered: $ans"
[ "$(nref unknown_type)" = $((unk0 + 1)) ] || case_fail "refused_unknown_type $(nref unknown_type), want $((unk0 + 1))"
raw_unbind "$nic"

# NVSP 0.2 (what old guests ask): INIT_COMPLETE carries 2; a 5.0 message is
# above the version: refused unanswered
raw_bind "$nic"
send "$nic" 1 "$(le32 1)$(le32 2)$(le32 2)"
[ "$(hexat 0 16)" = "$(le32 2)$(le32 2)$(le32 34)$(le32 1)" ] ||
	case_fail "INIT 0.2: INIT_COMPLETE $(hexat 0 16), want type 2, 2, 34, SUCCESS"
order0=$(nref order)
send "$nic" 1 "$(le32 131)$Z4$Z4$Z4" 2
[ -z "$ans" ] || case_fail "OID_QUERY_EX at NVSP 0.2 answered: $ans"
[ "$(nref order)" = $((order0 + 1)) ] || case_fail "refused_order $(nref order), want $((order0 + 1))"
raw_unbind "$nic"
log "NetVSP: init order, INIT_COMPLETE (6.1, 0.2), NDIS_VERSION once, OID_QUERY_EX, SWITCH_DATA_PATH, unknown and above-version types as OpenVMM"

# RNDIS control messages (OpenVMM netvsp handle_rndis_message,
# process_control_messages, handle_rndis_control_message).  The raw guest's
# pool: page 0 is the receive buffer (2 sub-allocations at MTU 1514; the
# raw guest never returns one), RNDIS messages start at byte 4096.
# nv_setup: NVSP 6.1, NDIS config, NDIS version, the receive buffer
nv_setup() {
	raw_bind "$nic"
	send "$nic" 1 "$(le32 1)$(le32 0x60001)$(le32 0x60001)"
	send "$nic" 1 "$(le32 125)$(le32 1514)$Z4$Z4$Z4"
	send "$nic" 1 "$(le32 100)$(le32 6)$(le32 30)"
	echo "gpadl 0 4096" >"$E/$nic/raw" || case_fail "GPADL for the receive buffer"
	_g=$(sed -n 's/^gpadl=//p' "$E/$nic/pool" | tail -n 1)
	send "$nic" 1 "$(le32 101)$(le32 "$_g")feca0000"
	[ "$(hexat 0 8)" = "$(le32 102)$(le32 1)" ] || case_fail "SEND_RECV_BUF: $ans"
	[ "$(hexat 20 4)" = "$(le32 2)" ] || case_fail "want 2 sub-allocations: $ans"
}
# rndis LEN HEX [N [WAIT]]: the RNDIS message HEX (at byte 4096 of the pool,
# LEN bytes sent) in a SEND_RNDIS_PKT (control, no section); waits for N
# answers (default 2); $cmp: the completion, $xfr: the transfer-page packet
nanswers() { [ "$(wc -l <"$E/$nic/raw")" -ge "$1" ]; }
rndis() {
	echo clear >"$E/$nic/raw"
	poke "$nic" 4096 "$2"
	echo "gpa 4096 $1 $(le32 107)$(le32 1)ffffffff$Z4" >"$E/$nic/raw" ||
		case_fail "SEND_RNDIS_PKT refused by the guest"
	wait_until "${4:-5}" nanswers "${3:-2}"
	sleep 0.5
	cmp=$(grep '^type=11 ' "$E/$nic/raw")
	xfr=$(grep '^type=7 ' "$E/$nic/raw")
	[ "$(wc -l <"$E/$nic/raw")" -le "${3:-2}" ] || case_fail "more answers than ${3:-2}: $(cat "$E/$nic/raw")"
}
# rndis_done STATUS: the SEND_RNDIS_PKT completion {108, STATUS}
rndis_done() {
	ans=$cmp
	[ "$(hexat 0 8)" = "$(le32 108)$(le32 "$1")" ] ||
		case_fail "SEND_RNDIS_PKT completion '$cmp', want status $1"
}
# reply_at: the pool bytes of the RNDIS reply in $xfr (16)
reply() {
	ans=$xfr
	_o=$(field xfer)
	[ -n "$_o" ] || case_fail "no RNDIS reply"
	pool_hex "$nic" "${_o%%:*}" 16
}
KEEPALIVE=$(le32 8)$(le32 12)
nv_setup
# KEEPALIVE: KEEPALIVE_C {request id, SUCCESS}
rndis 12 "$KEEPALIVE$(le32 0x1234)"
rndis_done 1
[ "$(reply)" = "$(le32 0x80000008)$(le32 16)$(le32 0x1234)$Z4" ] ||
	case_fail "KEEPALIVE_C $(reply), want {0x80000008, 16, 0x1234, SUCCESS}"
# the second sub-allocation: answered too; then none is free and control
# messages queue: OpenVMM counts each by the bytes after its 8-byte header
# (12800 here) and takes them while the queue stays within 100 KiB:
# 8 x 12800 = 102400 fit, the ninth is refused, FAILURE
rndis 12 "$KEEPALIVE$(le32 0x1235)"
rndis_done 1
[ "$(reply)" = "$(le32 0x80000008)$(le32 16)$(le32 0x1235)$Z4" ] || case_fail "second KEEPALIVE_C $(reply)"
full0=$(nref control_queue_full)
for i in 1 2 3 4 5 6 7 8; do
	rndis 12808 "$(le32 8)$(le32 12808)$(le32 $((0x1240 + i)))" 1
	rndis_done 1
	[ -z "$xfr" ] || case_fail "queued KEEPALIVE $i answered with no sub-allocation free: $xfr"
done
[ "$(nref control_queue_full)" = "$full0" ] || case_fail "refused_control_queue_full $(nref control_queue_full) within 100 KiB"
rndis 16 "$KEEPALIVE$(le32 0x1250)$Z4" 1
rndis_done 2
[ "$(nref control_queue_full)" = $((full0 + 1)) ] ||
	case_fail "refused_control_queue_full $(nref control_queue_full), want $((full0 + 1))"
raw_unbind "$nic"
log "NetVSP: KEEPALIVE_C, control queue full at 100 KiB as OpenVMM"

# RESET, INDICATE_STATUS, SET_EX and an unknown type: taken (SUCCESS), then
# the primary's worker fails on it: no reply, and nothing more is served on
# the channel until it is opened again
for t in 6 7 9; do
	nv_setup
	rt0=$(nref rndis_type) st0=$(nref stopped)
	rndis 16 "$(le32 "$t")$(le32 16)$(le32 0x77)$Z4" 2 2
	rndis_done 1
	[ -z "$xfr" ] || case_fail "RNDIS type $t answered: $xfr"
	[ "$(nref rndis_type)" = $((rt0 + 1)) ] || case_fail "refused_rndis_type $(nref rndis_type), want $((rt0 + 1))"
	rndis 12 "$KEEPALIVE$(le32 0x78)" 1 2
	[ -z "$cmp$xfr" ] || case_fail "channel still served after RNDIS type $t: $cmp $xfr"
	send "$nic" 1 "$(le32 131)$Z4$Z4$Z4" 1
	[ -z "$ans" ] || case_fail "OID_QUERY_EX served after RNDIS type $t: $ans"
	[ "$(nref stopped)" = $((st0 + 2)) ] || case_fail "refused_stopped $(nref stopped), want $((st0 + 2))"
	raw_unbind "$nic"
done
log "NetVSP: RNDIS RESET, INDICATE_STATUS, SET_EX: completed, then the channel no longer served"

# RNDIS INITIALIZE once initialized: OpenVMM handle_rndis_control_message()
# returns InvalidRndisState, the primary's worker ends as above
INIT=$(le32 2)$(le32 24)
nv_setup
rndis 24 "$INIT$(le32 0x90)$(le32 1)$Z4$(le32 0x4000)"
rndis_done 1
[ "$(reply)" = "$(le32 0x80000002)$(le32 52)$(le32 0x90)$Z4" ] ||
	case_fail "INITIALIZE_C $(reply), want {0x80000002, 52, 0x90, SUCCESS}"
or0=$(nref order) st0=$(nref stopped)
rndis 24 "$INIT$(le32 0x91)$(le32 1)$Z4$(le32 0x4000)" 2 2
rndis_done 1
[ -z "$xfr" ] || case_fail "second RNDIS INITIALIZE answered: $xfr"
[ "$(nref order)" = $((or0 + 1)) ] || case_fail "refused_order $(nref order), want $((or0 + 1))"
rndis 12 "$KEEPALIVE$(le32 0x92)" 1 2
[ -z "$cmp$xfr" ] || case_fail "channel still served after a second RNDIS INITIALIZE: $cmp $xfr"
send "$nic" 1 "$(le32 131)$Z4$Z4$Z4" 1
[ -z "$ans" ] || case_fail "OID_QUERY_EX served after a second RNDIS INITIALIZE: $ans"
[ "$(nref stopped)" = $((st0 + 2)) ] || case_fail "refused_stopped $(nref stopped), want $((st0 + 2))"
raw_unbind "$nic"
log "NetVSP: a second RNDIS INITIALIZE: completed, then the channel no longer served"

# RNDIS control messages shorter than their request: OpenVMM
# handle_rndis_control_message() reads InitializeRequest (16 bytes),
# QueryRequest and SetRequest (20), KeepaliveRequest (4) with read_plain();
# with fewer bytes after the header that is an access error, the primary's
# worker ends as above (the message itself was queued: SUCCESS).  TYPE LEN:
for m in "2 16" "4 24" "5 24" "8 10"; do
	t=${m% *} l=${m#* }
	nv_setup
	rl0=$(nref rndis_length) st0=$(nref stopped)
	rndis "$l" "$(le32 "$t")$(le32 "$l")$(le32 0x7a)$(le32 1)$Z4$Z4$Z4" 2 2
	rndis_done 1
	[ -z "$xfr" ] || case_fail "RNDIS type $t of $l bytes answered: $xfr"
	[ "$(nref rndis_length)" = $((rl0 + 1)) ] ||
		case_fail "RNDIS type $t of $l bytes: refused_rndis_length $(nref rndis_length), want $((rl0 + 1))"
	rndis 12 "$KEEPALIVE$(le32 0x7b)" 1 2
	[ -z "$cmp$xfr" ] || case_fail "channel still served after RNDIS type $t of $l bytes: $cmp $xfr"
	send "$nic" 1 "$(le32 131)$Z4$Z4$Z4" 1
	[ -z "$ans" ] || case_fail "OID_QUERY_EX served after RNDIS type $t of $l bytes: $ans"
	[ "$(nref stopped)" = $((st0 + 2)) ] || case_fail "refused_stopped $(nref stopped), want $((st0 + 2))"
	raw_unbind "$nic"
done
# HALT is not read (handle_rndis_message() returns before the length
# check): a header alone is completed SUCCESS, not answered, the channel
# goes on
nv_setup
rndis 8 "$(le32 3)$(le32 8)" 2 2
rndis_done 1
[ -z "$xfr" ] || case_fail "RNDIS HALT answered: $xfr"
rndis 12 "$KEEPALIVE$(le32 0x7c)"
rndis_done 1
[ "$(reply)" = "$(le32 0x80000008)$(le32 16)$(le32 0x7c)$Z4" ] || case_fail "KEEPALIVE_C after HALT $(reply)"
raw_unbind "$nic"
log "NetVSP: RNDIS INITIALIZE, QUERY, SET, KEEPALIVE shorter than their request end the channel's service; HALT ignored"

# ---- IC framework (heartbeat) ----
H=/sys/kernel/debug/hv_simhost/ic/heartbeat
hb_field() {
	tr ' ' '\n' <$H | sed -n "s/^$1=//p" | head -n 1
}
# ic_msg TYPE VERSION BODY: pipe header {DATA, size} + IC header with
# TRANSACTION|RESPONSE, id 0, status 0 + BODY (hex)
ic_msg() {
	_n=$((${#3} / 2))
	_v=$(printf '%02x00%02x00' $(($2 >> 8)) $(($2 & 255)))
	echo "$(le32 1)$(le32 $((20 + _n)))${_v}$(printf '%02x00' "$1")${_v}$(printf '%02x%02x' $((_n & 255)) $((_n >> 8)))${Z4}00050000$3"
}
echo "interval 0" >$H || case_fail "heartbeat interval 0"
raw_bind "$hb"
# the host speaks first: NEGOTIATE, TRANSACTION|REQUEST, no completion asked
wait_until 5 answered "$hb" || case_fail "no NEGOTIATE from the host"
ans=$(head -n 1 "$E/$hb/raw")
[ "$(field type)/$(field flags)" = 6/0 ] || case_fail "NEGOTIATE packet: $ans"
[ "$(hexat 0 4)/$(hexat 12 2)/$(hexat 25 1)" = "$(le32 1)/0000/03" ] ||
	case_fail "NEGOTIATE: want pipe DATA, type 0, flags TRANSACTION|REQUEST: $ans"
stale0=$(hb_field stale)
# a heartbeat answer while negotiating: dropped as stale, still negotiating
send "$hb" 0 "$(ic_msg 3 0x300 "$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4")" 1
[ -z "$ans" ] || case_fail "host answered an answer: $ans"
[ "$(hb_field stale)" = $((stale0 + 1)) ] || case_fail "stale $(hb_field stale), want $((stale0 + 1)): $(cat $H)"
[ "$(hb_field state)" = negotiating ] || case_fail "state after a stale answer: $(cat $H)"
# counts 1/1, framework 3.0, heartbeat 3.0: ready
send "$hb" 0 "$(ic_msg 0 0x300 "01000100000000000300000003000000")" 1
wait_until 5 eval 'test "$(hb_field state)" = ready' || case_fail "negotiation answer not taken: $(cat $H)"
[ "$(hb_field framework)/$(hb_field version)/$(hb_field bad_version)" = 3.0/3.0/0 ] ||
	case_fail "negotiated $(cat $H)"
# the first heartbeat goes out once ready: answer it (its sequence number
# is not ours to check here), then no request is outstanding and a further
# answer is unsolicited: dropped, counted
hb_requested() { [ "$(hb_field requests)" -ge 1 ]; }
wait_until 5 hb_requested || case_fail "no heartbeat request after negotiation: $(cat $H)"
send "$hb" 0 "$(ic_msg 3 0x300 "$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4")" 1
[ "$(hb_field responses)" = 1 ] || case_fail "heartbeat answer not taken: $(cat $H)"
uns0=$(hb_field unsolicited)
send "$hb" 0 "$(ic_msg 3 0x300 "$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4$Z4")" 1
[ "$(hb_field unsolicited)" = $((uns0 + 1)) ] ||
	case_fail "unsolicited $(hb_field unsolicited), want $((uns0 + 1)): $(cat $H)"
[ "$(hb_field state)/$(hb_field errors)" = ready/0 ] || case_fail "after an unsolicited answer: $(cat $H)"
raw_unbind "$hb"
log "IC: host NEGOTIATE first; stale answer while negotiating and unsolicited answer when idle dropped and counted"

rmmod hv_echo || case_fail "rmmod hv_echo"
unload_hvlis || case_fail "unload failed"
case_pass "StorVSP, NetVSP and the IC framework answer a foreign guest as OpenVMM does"
