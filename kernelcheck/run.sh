#!/usr/bin/env bash
# kernelcheck/run.sh — run pcssim's scenarios on two real Linux kernels
# (Debian 12's 6.1 and its 6.12, each with its own phylink and libphy
# modules) under qemu, and compare each verdict with pcssim's for the same
# scenario, strategy and kernel version (pcssim run --kernel).
#
# Usage: kernelcheck/run.sh [KERNEL/SCENARIO/STRATEGY ...]   (default: every mapped row)
# Exit status: 0 every row agrees, 1 a disagreement, 2 the setup failed.
# Environment: PCSSIM_KWORK (work directory, default /tmp/pcssim-kernelcheck),
#              PCSSIM_KSEEDS (pcssim executions per explorer and row, default 300),
#              PCSSIM_KJOBS (qemu guests run side by side, default: CPUs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${PCSSIM_KWORK:-/tmp/pcssim-kernelcheck}
seeds=${PCSSIM_KSEEDS:-300}
jobs=${PCSSIM_KJOBS:-$(nproc)}
die() { echo "kernelcheck: $*" >&2; exit 2; }

# The mapped rows: kernel/scenario/strategy. Each row boots its own guest
# (a use-after-free ends the boot: oops=panic); guests run side by side.
rows=()
for k in 6.1 6.12; do
  rows+=(
    $k/rmk-2022-unbind/none $k/rmk-2022-unbind/device-ref $k/rmk-2022-unbind/module-ref $k/rmk-2022-unbind/phylink-notify
    $k/rmk-2022-rmmod/module-ref
    $k/rmk-2022-self-pin/module-ref
    $k/rmk-2022-nfsroot/device-link $k/rmk-2022-nfsroot/phylink-notify
    $k/pcs-rebind/phylink-notify $k/pcs-rebind/device-link
    $k/rmk-2022-get-device/device-ref $k/rmk-2022-get-device/device-link
    $k/xpcs-irq-order/none $k/xpcs-irq-order/phylink-notify
    # With a PHY (the fixed PHY, driven by pcssim_phy.ko).
    $k/phy-stop-slow-mac-config/none $k/phy-stop-slow-mac-config/phylink-notify
    $k/phy-driver-unbind/none $k/phy-driver-unbind/phylink-notify
    $k/phy-driver-unbind-nolink/none $k/phy-driver-unbind-nolink/phylink-notify
    $k/release-pcs-stop-phy/none $k/release-pcs-stop-phy/phylink-notify
  )
done
# Interrupt-driven standalone PCSs need phylink_pcs_change() (v6.4): 6.12 only.
rows+=(
  6.12/pcs-irq-mac-unbind/none 6.12/pcs-irq-mac-unbind/module-ref 6.12/pcs-irq-mac-unbind/phylink-notify
  6.12/qsgmii-shared/none 6.12/qsgmii-shared/phylink-notify 6.12/qsgmii-shared/device-link
)
# A strategy of a proposal, not of a released kernel: 6.12's own phylink.c
# plus phylink_release_pcs() (kernelcheck/phylink_release_pcs.c.inc), built
# from linux-source-6.12 for these rows only.
rows+=(6.12/racy-release/phylink-notify-racy)
[ $# -gt 0 ] && rows=("$@")

# 1. Packages (idempotent; needs root and Debian's package registry). Both
# kernels are installed side by side; each is picked by its version.
kernel_dir() { # kernel_dir 6.1|6.12: the installed version with headers
  local d v
  for d in /lib/modules/"$1".*-amd64/; do
    [ -d "$d" ] || continue
    v=$(basename "$d")
    [ -e "/lib/modules/$v/build/Makefile" ] && [ -e "/boot/vmlinuz-$v" ] && echo "$v" && return
  done
  return 0
}
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
command -v make >/dev/null && command -v gcc >/dev/null || need+=(make gcc)
[ -n "$(kernel_dir 6.1)" ] || need+=(linux-image-amd64 linux-headers-amd64)
[ -n "$(kernel_dir 6.12)" ] || need+=(linux-image-6.12-amd64 linux-headers-6.12-amd64)
patched=no
for r in "${rows[@]}"; do case "$r" in 6.12/*/phylink-notify-racy) patched=yes ;; esac; done
[ $patched = no ] || [ -e /usr/src/linux-source-6.12.tar.xz ] || need+=(linux-source-6.12)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "need root to install ${need[*]}"
  echo "kernelcheck: installing ${need[*]}" >&2
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >&2 || die "apt-get failed"
fi
declare -A kver
for k in 6.1 6.12; do
  kver[$k]=$(kernel_dir $k)
  [ -n "${kver[$k]}" ] || die "kernel $k: no /lib/modules/$k.*-amd64 with headers and /boot/vmlinuz"
  echo "kernelcheck: kernel $k is ${kver[$k]}" >&2
done

# 2. pcssim, and per kernel the test modules and an initramfs base: busybox,
# the kernel's own phylink and libphy, our modules. The variant 6.12+rp has
# the patched phylink.ko (phylink_release_pcs()) and modules built with it.
rm -rf "$work" && mkdir -p "$work/logs" "$work/verdicts"
(cd "$root" && go build -o "$work/pcssim" ./cmd/pcssim) || die "cannot build pcssim"
variants=(6.1 6.12)
[ $patched = no ] || variants+=(6.12+rp)
for var in "${variants[@]}"; do
  k=${var%+rp} v=${kver[${var%+rp}]} mod="$work/mod-$var" base="$work/rootfs-$var"
  mkdir -p "$mod" && cp "$here"/modules/* "$mod/"
  if [ "$var" = 6.12+rp ]; then
    # The phylink.c patched must be the booted kernel's own.
    sv=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || true)
    iv=$(dpkg-query -W -f '${Version}' "linux-image-$v" 2>/dev/null || true)
    [ -n "$sv" ] && [ "$sv" = "$iv" ] ||
      die "linux-source-6.12 ($sv) is not the version of linux-image-$v ($iv): apt-get install linux-source-6.12 linux-image-6.12-amd64"
    tar xJf /usr/src/linux-source-6.12.tar.xz -C "$work" --strip-components=4 \
      linux-source-6.12/drivers/net/phy/phylink.c linux-source-6.12/drivers/net/phy/sfp.h \
      linux-source-6.12/drivers/net/phy/swphy.h || die "cannot extract phylink.c from linux-source-6.12"
    mv "$work"/{phylink.c,sfp.h,swphy.h} "$mod/"
    grep -q '^EXPORT_SYMBOL_GPL(phylink_pcs_change);$' "$mod/phylink.c" || die "phylink.c: no phylink_pcs_change()"
    sed -i "/^EXPORT_SYMBOL_GPL(phylink_pcs_change);\$/r $here/phylink_release_pcs.c.inc" "$mod/phylink.c"
    printf 'obj-m := phylink.o pcssim_core.o pcssim_pcs.o pcssim_mac.o pcssim_phy.o\nccflags-y := -DPCSSIM_PHYLINK_RELEASE_PCS\n' >"$mod/Kbuild"
  fi
  make -s -C "/lib/modules/$v/build" M="$mod" modules >"$work/build-$var.log" 2>&1 ||
    { cat "$work/build-$var.log" >&2; die "module build for $var ($v) failed"; }
  mkdir -p "$base"/{bin,proc,sys,dev,tmp,m}
  cp /bin/busybox "$base/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$base/bin/$a"; done
  for m in libphy phylink fixed_phy; do # the kernel package's modules, decompressed
    [ "$var/$m" = 6.12+rp/phylink ] && { cp "$mod/phylink.ko" "$base/m/"; continue; }
    f=$(find "/lib/modules/$v/kernel" -name "$m.ko*" | head -1)
    [ -n "$f" ] || die "module $m not found in $v"
    case "$f" in
      *.xz) xz -dc "$f" >"$base/m/$m.ko" ;;
      *.zst) zstd -qdc "$f" >"$base/m/$m.ko" ;;
      *) cp "$f" "$base/m/$m.ko" ;;
    esac
  done
  cp "$mod"/pcssim_{core,pcs,mac,phy}.ko "$base/m/"
done

# guest_script SCENARIO STRATEGY prints the /init that acts the scenario out.
guest_script() {
  local scen=$1 st=$2 nd=1 mac_strategy=$2 core="" pcs="" mac="" phy=""
  case "$scen" in
    # eth0 gets the board's PHY (the fixed PHY, pcssim_phy's).
    phy-*|*-phy) phy=1 core="phy=1" mac="phy=fixed" ;;
  esac
  case "$scen" in
    phy-stop-slow-mac-config) core="$core race=mac-config race_armed=0" ;;
    rmk-2022-nfsroot) nd=2 ;;
    rmk-2022-self-pin) mac_strategy=self-pin ;;
    pcs-irq-mac-unbind) pcs="link=irq" ;;
    xpcs-irq-order) mac="pcs=integrated-irq remove_order=put-pcs-first" core="race=mac-free-irq" ;;
    racy-release) core="race=pcs-get-state race_armed=0" pcs="release_pcs=1" ;;
    qsgmii-shared)
      core="macs=4" pcs="lanes=4 link=irq"
      [ "$st" = device-link ] && core="$core race=pcs-remove" ;;
  esac
  cat <<EOF
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
insmod /m/libphy.ko; insmod /m/phylink.ko; insmod /m/fixed_phy.ko
insmod /m/pcssim_core.ko $core${phy:+; insmod /m/pcssim_phy.ko}; insmod /m/pcssim_pcs.ko $pcs
insmod /m/pcssim_mac.ko strategy=$mac_strategy netdevs=$nd $mac
for n in /sys/class/net/eth*; do [ -e "\$n" ] && ip link set "\$(basename "\$n")" up; done
sleep 2
# ethN's state: its carrier (0/1), down (not running) or gone.
st() { [ -e "/sys/class/net/\$1" ] || { echo gone; return; }; cat "/sys/class/net/\$1/carrier" 2>/dev/null || echo down; }
states() { for n in eth0 eth1 eth2 eth3; do [ \$n = eth0 ] || [ -e /sys/class/net/\$n ] || [ \$n = eth1 ] || continue; printf ' %s=%s' \$n "\$(st \$n)"; done; phydrv; }
# The driver bound to the board's PHY, if there is one.
phydrv() { p=/sys/bus/mdio_bus/devices/fixed-0:00; [ -e \$p ] || return 0; d=\$(readlink \$p/driver); printf ' phy=%s' "\${d##*/}"; }
phy_link() { echo "\$1" > /sys/module/pcssim_core/parameters/phy_link; echo "PCSSIM-ACTION phy-link \$1 rc=\$?"; }
phy_iface() { echo "\$1" > /sys/module/pcssim_core/parameters/phy_interface; echo "PCSSIM-ACTION phy-interface \$1 rc=\$?"; }
ipset() { ip link set "\$1" "\$2"; echo "PCSSIM-ACTION ip-\$2 \$1 rc=\$?"; }
echo "PCSSIM-STATE before\$(states)"
unbind() { echo "\$1" > "/sys/bus/platform/drivers/\$2/unbind"; echo "PCSSIM-ACTION unbind \$1 rc=\$?"; }
bind() { echo "\$1" > "/sys/bus/platform/drivers/\$2/bind"; echo "PCSSIM-ACTION bind \$1 rc=\$?"; }
# irq LINE UP: the PCS interrupt line LINE fires with link level UP.
irq() { echo "\$1 \$2" > /sys/module/pcssim_core/parameters/irq; echo "PCSSIM-ACTION irq \$1 \$2 rc=\$?"; }
# try_rmmod M: rmmod; if M is in use, unbind every device bound to a driver
# of another module (M's external users) and try again: a module that
# still cannot be unloaded pins itself.
try_rmmod() {
  if rmmod "\$1"; then echo "PCSSIM-RMMOD \$1 ok"; return; fi
  for d in /sys/bus/platform/drivers/*; do
    m=\$(basename "\$(readlink "\$d/module" 2>/dev/null)" 2>/dev/null)
    [ "\$m" = "\$1" ] && continue
    for dev in "\$d"/*.*; do [ -L "\$dev" ] && echo "\$(basename "\$dev")" > "\$d/unbind"; done
  done
  if rmmod "\$1"; then echo "PCSSIM-RMMOD \$1 in-use-by-others"; else echo "PCSSIM-RMMOD \$1 pins-itself"; fi
}
EOF
  case "$scen" in
    rmk-2022-unbind|rmk-2022-nfsroot) echo "unbind pcssim-pcs.0 pcssim-pcs" ;;
    rmk-2022-get-device) echo 'echo 1 > /sys/module/pcssim_core/parameters/unplug' ;;
    rmk-2022-rmmod) echo "try_rmmod pcssim_pcs" ;;
    rmk-2022-self-pin) echo "try_rmmod pcssim_mac" ;;
    pcs-rebind) printf 'unbind pcssim-pcs.0 pcssim-pcs\nsleep 2\nbind pcssim-pcs.0 pcssim-pcs\n' ;;
    pcs-irq-mac-unbind) printf 'unbind pcssim-mac.0 pcssim-mac\nsleep 1\nirq 0 0\n' ;;
    # Armed now, the next poll's resolve waits inside pcs_get_state() (it
    # holds state_mutex and the PCS); the unbind releases and frees the PCS,
    # and devres's last action lets the resolve go on.
    racy-release) printf 'echo 1 > /sys/module/pcssim_core/parameters/race_armed\necho 1 > /sys/module/pcssim_core/parameters/race_wait\nunbind pcssim-pcs.0 pcssim-pcs\n' ;;
    # The forced race: remove() waits at the point of pcssim's schedule
    # until the interrupt (which waits for remove() to get there) has run.
    xpcs-irq-order) printf 'unbind pcssim-mac.0 pcssim-mac &\nirq 4 0\nwait\n' ;;
    qsgmii-shared)
      if [ "$st" = device-link ]; then
        printf 'unbind pcssim-pcs.0 pcssim-pcs &\nirq 2 0\nwait\n'
      else
        # Lane 2 flaps around the unbind; then eth0 is taken down, the
        # next use of its pl->pcs (6.12's phylink_stop disables the PCS).
        printf 'irq 2 0\nsleep 1\nunbind pcssim-pcs.0 pcssim-pcs\nirq 2 1\nsleep 1\nip link set eth0 down; echo "PCSSIM-ACTION ip-down eth0 rc=$?"\n'
      fi ;;
    # The PHY's link partner goes and comes back with the PHY in
    # 2500base-x: its state machine's phy_link_up queues a resolve that
    # runs phylink_major_config. Armed, mac_config() waits there (holding
    # state_mutex) until phy_stop, from the ip link set down started once
    # it waits, holds phydev->lock in PHY_HALTED (its link down then waits
    # for state_mutex). Then the MAC is unbound (phylink_destroy).
    phy-stop-slow-mac-config)
      printf 'phy_link 0\nsleep 2\necho 1 > /sys/module/pcssim_core/parameters/race_armed\n'
      printf 'phy_iface 2500base-x\nphy_link 1\necho 1 > /sys/module/pcssim_core/parameters/race_wait\n'
      printf 'ipset eth0 down\nsleep 1\nunbind pcssim-mac.0 pcssim-mac\n' ;;
    # The PHY driver is unbound under the running port; its link partner
    # goes; the port goes down and up (genphy now), the PHY driver's module
    # is removed, the MAC unbound.
    # (-nolink: the link partner is gone, and the PHY has noticed, before
    # the unbind.)
    phy-driver-unbind|phy-driver-unbind-nolink)
      [ "$scen" = phy-driver-unbind ] || printf 'phy_link 0\nsleep 2\n'
      printf 'echo fixed-0:00 > /sys/bus/mdio_bus/drivers/pcssim-phy/unbind; echo "PCSSIM-ACTION unbind fixed-0:00 rc=$?"\n'
      printf 'echo "PCSSIM-STATE unbound$(states)"\nsleep 1\n'
      [ "$scen" != phy-driver-unbind ] || printf 'phy_link 0\nsleep 1\n'
      printf 'ipset eth0 down\nsleep 1\nipset eth0 up\nsleep 1\n'
      printf 'if rmmod pcssim_phy; then echo "PCSSIM-RMMOD pcssim_phy ok"; else echo "PCSSIM-RMMOD pcssim_phy refused"; fi\n'
      printf 'unbind pcssim-mac.0 pcssim-mac\n' ;;
    release-pcs-stop-phy)
      printf 'unbind pcssim-pcs.0 pcssim-pcs\nsleep 1\nbind pcssim-pcs.0 pcssim-pcs\nipset eth0 down\nsleep 1\nunbind pcssim-mac.0 pcssim-mac\n' ;;
    *) die "scenario $scen is not mapped" ;;
  esac
  cat <<EOF
sleep 3
echo "PCSSIM-STATE after\$(states)"
EOF
  [ -z "$phy" ] || echo 'echo "PCSSIM-REFCNT pcssim_phy $(cat /sys/module/pcssim_phy/refcnt 2>/dev/null || echo gone)"'
  cat <<EOF
echo PCSSIM-DONE
poweroff -f
EOF
}

# kernel_verdict SCENARIO LOG prints the properties the console log shows.
kernel_verdict() {
  local scen=$1 log=$2 v=()
  if grep -qE 'general protection fault|BUG: unable to handle|Oops|6b6b6b6b6b6b' "$log"; then v+=(use-after-free); fi
  grep -q 'PCSSIM-RMMOD .* pins-itself' "$log" && v+=(rmmod-blocked)
  if [ "$scen" = rmk-2022-nfsroot ] && grep -q 'PCSSIM-STATE after .*eth1=gone' "$log"; then v+=(collateral-teardown); fi
  if [ "$scen" = pcs-rebind ] && grep -q 'PCSSIM-DONE' "$log" && ! grep -q 'PCSSIM-STATE after eth0=1' "$log"; then v+=(no-recovery); fi
  # With the MAC unbound nothing uses the PHY driver's module: a reference
  # still held is one nothing can drop.
  grep -q 'PCSSIM-REFCNT pcssim_phy [1-9]' "$log" && v+=(leak)
  if [ ${#v[@]} -eq 0 ] && ! grep -q PCSSIM-DONE "$log"; then v+=(no-result); fi
  if grep -q 'PCSSIM-RACE .*timeout' "$log"; then v+=(race-not-forced); fi
  echo "${v[*]:-none}"
}

# pcssim_verdict KERNEL SCENARIO STRATEGY prints the kernel-observable
# properties pcssim finds with the model of that kernel: random and pct
# exploration together, as expect: is stated (pct finds the narrow races).
pcssim_verdict() {
  local e out=() obs=use-after-free,rmmod-blocked,collateral-teardown,no-recovery
  # The PHY rows also show a reference on the PHY driver's module that
  # outlives every user (the guest reads its refcnt at the end), but for
  # phy-driver-unbind, whose use-after-free at ip link set down ends the
  # boot before the reference could be seen to leak.
  case "$2" in phy-driver-unbind) ;; phy-*|*-phy) obs=$obs,leak ;; esac
  for e in random pct; do
    out+=("$("$work/pcssim" run "$2" --strategy "$3" --kernel "$1" --explore "$e" --seeds "$seeds" --format json 2>/dev/null || true)")
  done
  printf '%s\n' "${out[@]}" | python3 -c '
import json,sys
dec=json.JSONDecoder(); s=sys.stdin.read(); i=0; found=set(); n=0
while True:
    while i < len(s) and s[i].isspace(): i+=1
    if i >= len(s): break
    doc,i=dec.raw_decode(s,i)
    for d in doc:
        n+=1
        found |= {p for p,c in d["counts"].items() if c}
obs=sys.argv[1].split(",")
v=[p for p in obs if p in found]
print((" ".join(v) if v else "none") if n == 2 else "pcssim-failed")' "$obs"
}

# run_row KERNEL/SCENARIO/STRATEGY boots the row's guest and writes its
# verdicts (run side by side, one qemu per CPU).
run_row() {
  local row=$1 k scen st rootfs log id
  IFS=/ read -r k scen st <<<"$row"
  id="$k-$scen-$st" rootfs="$work/rootfs-$id" log="$work/logs/$id.log"
  pcssim_verdict "$k" "$scen" "$st" >"$work/verdicts/$id.pcssim" &
  local var=$k
  [ "$k/$st" = 6.12/phylink-notify-racy ] && var=6.12+rp
  cp -a "$work/rootfs-$var" "$rootfs"
  guest_script "$scen" "$st" >"$rootfs/init"
  chmod +x "$rootfs/init"
  (cd "$rootfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs-$id.gz"
  rm -rf "$rootfs"
  timeout 240 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot -nic none \
    -kernel "/boot/vmlinuz-${kver[$k]}" -initrd "$work/initramfs-$id.gz" \
    -append "console=ttyS0 quiet loglevel=6 panic=-1 slub_debug=P oops=panic" >"$log" 2>&1 || true
  kernel_verdict "$scen" "$log" >"$work/verdicts/$id.kernel"
  wait
}

for r in "${rows[@]}"; do
  IFS=/ read -r k scen st <<<"$r"
  [ -n "$k" ] && [ -n "$scen" ] && [ -n "$st" ] && [ -n "${kver[$k]:-}" ] || die "bad row $r (KERNEL/SCENARIO/STRATEGY, KERNEL 6.1 or 6.12)"
done
running=0
for r in "${rows[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
  run_row "$r" &
  running=$((running + 1))
done
wait

printf '%-24s %-19s %-7s %-22s %-22s %s\n' scenario strategy kernel "kernel verdict" "pcssim --kernel K" agree
fail=0 n=0
for r in "${rows[@]}"; do
  IFS=/ read -r k scen st <<<"$r"
  id="$k-$scen-$st" log="$work/logs/$k-$scen-$st.log"
  [ -s "$work/verdicts/$id.kernel" ] && [ -s "$work/verdicts/$id.pcssim" ] || die "row $r did not run (see $work)"
  kv=$(cat "$work/verdicts/$id.kernel") pv=$(cat "$work/verdicts/$id.pcssim")
  [ "$pv" != pcssim-failed ] || die "row $r: pcssim run failed (try: $work/pcssim run $scen --strategy $st --kernel $k)"
  agree=yes
  [ "$kv" = "$pv" ] || { agree=NO; fail=1; }
  n=$((n + 1))
  printf '%-24s %-19s %-7s %-22s %-22s %s\n' "$scen" "$st" "$k" "$kv" "$pv" "$agree"
  # The console behind the kernel's verdict: our markers, the oops and the
  # top of its call trace.
  sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/.*PCSSIM-/PCSSIM-/' "$log" |
    awk '/PCSSIM-ACTION/ {next}
         /RIP: 0010/ {if (rip++) next; print; next}
         /PCSSIM-|general protection fault|BUG:|Oops/ {print; next}
         /Call Trace:/ {t=3; next}
         t > 0 && /\][ \t]+[a-z_0-9.]+\+0x/ {sub(/^\[ *[0-9.]+\] */, "  "); print; t--}' |
    head -11 | sed 's/^/    | /'
done
echo "kernelcheck: $n rows, $([ $fail = 0 ] && echo "all agree" || echo "DISAGREEMENT")"
exit $fail
