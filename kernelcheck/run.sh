#!/usr/bin/env bash
# kernelcheck/run.sh — run pcssim's canonical scenarios on the real Linux
# kernel (Debian's 6.1, its own phylink and libphy modules) under qemu, and
# compare each verdict with pcssim's for the same scenario and strategy.
#
# Usage: kernelcheck/run.sh [SCENARIO/STRATEGY ...]   (default: every mapped pair)
# Exit status: 0 every row agrees, 1 a disagreement, 2 the setup failed.
# Environment: PCSSIM_KWORK (work directory, default /tmp/pcssim-kernelcheck),
#              PCSSIM_KSEEDS (pcssim executions per pair, default 300).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${PCSSIM_KWORK:-/tmp/pcssim-kernelcheck}
seeds=${PCSSIM_KSEEDS:-300}
die() { echo "kernelcheck: $*" >&2; exit 2; }

# The mapped pairs: scenario/strategy.
pairs=(
  rmk-2022-unbind/none rmk-2022-unbind/device-ref rmk-2022-unbind/module-ref rmk-2022-unbind/phylink-notify
  rmk-2022-rmmod/module-ref
  rmk-2022-self-pin/module-ref
  rmk-2022-nfsroot/device-link rmk-2022-nfsroot/phylink-notify
  pcs-rebind/phylink-notify pcs-rebind/device-link
)
[ $# -gt 0 ] && pairs=("$@")

# 1. Packages (idempotent; needs root and Debian's package registry).
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v make >/dev/null && command -v gcc >/dev/null || need+=(make gcc)
ls -d /lib/modules/*/build >/dev/null 2>&1 || need+=(linux-image-amd64 linux-headers-amd64)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "need root to install ${need[*]}"
  echo "kernelcheck: installing ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 || die "apt-get failed"
fi
kver=""
for d in /lib/modules/*/; do
  v=$(basename "$d")
  [ -e "/lib/modules/$v/build/Makefile" ] && [ -e "/boot/vmlinuz-$v" ] && kver=$v
done
[ -n "$kver" ] || die "no kernel with headers in /lib/modules and /boot"
echo "kernelcheck: kernel $kver" >&2

# 2. Test modules and pcssim.
rm -rf "$work" && mkdir -p "$work/mod" "$work/logs"
cp "$here"/modules/* "$work/mod/"
make -s -C "/lib/modules/$kver/build" M="$work/mod" modules >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "module build failed"; }
(cd "$root" && go build -o "$work/pcssim" ./cmd/pcssim) || die "cannot build pcssim"

# 3. The initramfs base: busybox, the kernel's phylink and libphy, our modules.
base="$work/rootfs"
mkdir -p "$base"/{bin,proc,sys,dev,tmp,m}
cp /bin/busybox "$base/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$base/bin/$a"; done
kmod() { # copy a module of the kernel package (decompressed) to /m
  local f
  f=$(find "/lib/modules/$kver/kernel" -name "$1.ko*" | head -1)
  [ -n "$f" ] || die "module $1 not found in the kernel package"
  case "$f" in
    *.xz) xz -dc "$f" >"$base/m/$1.ko" ;;
    *.zst) zstd -qdc "$f" >"$base/m/$1.ko" ;;
    *) cp "$f" "$base/m/$1.ko" ;;
  esac
}
kmod libphy; kmod phylink
cp "$work"/mod/pcssim_{core,pcs,mac}.ko "$base/m/"

# guest_script SCENARIO STRATEGY prints the /init that acts the scenario out.
guest_script() {
  local scen=$1 st=$2 nd=1 mac_strategy=$2
  [ "$scen" = rmk-2022-nfsroot ] && nd=2
  [ "$scen" = rmk-2022-self-pin ] && mac_strategy=self-pin
  cat <<EOF
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
insmod /m/libphy.ko; insmod /m/phylink.ko
insmod /m/pcssim_core.ko; insmod /m/pcssim_pcs.ko; insmod /m/pcssim_mac.ko strategy=$mac_strategy netdevs=$nd
ip link set eth0 up
[ -e /sys/class/net/eth1 ] && ip link set eth1 up
sleep 2
echo "PCSSIM-STATE before eth0=\$(cat /sys/class/net/eth0/carrier 2>/dev/null || echo gone)"
unbind() { echo "\$1" > "/sys/bus/platform/drivers/\$2/unbind"; echo "PCSSIM-ACTION unbind \$1 rc=\$?"; }
bind() { echo "\$1" > "/sys/bus/platform/drivers/\$2/bind"; echo "PCSSIM-ACTION bind \$1 rc=\$?"; }
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
    rmk-2022-unbind|rmk-2022-get-device|rmk-2022-nfsroot) echo "unbind pcssim-pcs.0 pcssim-pcs" ;;
    rmk-2022-rmmod) echo "try_rmmod pcssim_pcs" ;;
    rmk-2022-self-pin) echo "try_rmmod pcssim_mac" ;;
    pcs-rebind) printf 'unbind pcssim-pcs.0 pcssim-pcs\nsleep 2\nbind pcssim-pcs.0 pcssim-pcs\n' ;;
    *) die "scenario $scen is not mapped" ;;
  esac
  cat <<EOF
sleep 3
echo "PCSSIM-STATE after eth0=\$(cat /sys/class/net/eth0/carrier 2>/dev/null || echo gone) eth1=\$([ -e /sys/class/net/eth1 ] && echo present || echo gone)"
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
  if [ ${#v[@]} -eq 0 ] && ! grep -q PCSSIM-DONE "$log"; then v+=(no-result); fi
  echo "${v[*]:-none}"
}

# pcssim_verdict SCENARIO STRATEGY prints the kernel-observable properties
# pcssim finds with the model of the kernel booted here (--kernel 6.1).
pcssim_verdict() {
  "$work/pcssim" run "$1" --strategy "$2" --kernel "$model" --seeds "$seeds" --format json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin); obs=["use-after-free","rmmod-blocked","collateral-teardown","no-recovery"]
v=[p for p in obs if d["counts"].get(p)]
print(" ".join(v) if v else "none")' || true
}

model=6.1 # Debian 12's kernel, booted below: pcssim models the same version
printf '%-20s %-16s %-24s %-24s %s\n' scenario strategy "kernel $model" "pcssim --kernel $model" agree
fail=0
for pair in "${pairs[@]}"; do
  scen=${pair%/*} st=${pair#*/}
  rootfs="$work/rootfs-$scen-$st"
  rm -rf "$rootfs" && cp -a "$base" "$rootfs"
  guest_script "$scen" "$st" >"$rootfs/init"
  chmod +x "$rootfs/init"
  (cd "$rootfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs-$scen-$st.gz"
  log="$work/logs/$scen-$st.log"
  timeout 180 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot -nic none \
    -kernel "/boot/vmlinuz-$kver" -initrd "$work/initramfs-$scen-$st.gz" \
    -append "console=ttyS0 quiet panic=-1 slub_debug=P oops=panic" >"$log" 2>&1 || true
  kv=$(kernel_verdict "$scen" "$log")
  pv=$(pcssim_verdict "$scen" "$st")
  agree=yes
  [ "$kv" = "$pv" ] || { agree=NO; fail=1; }
  printf '%-20s %-16s %-24s %-24s %s\n' "$scen" "$st" "$kv" "$pv" "$agree"
  sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/.*PCSSIM-/PCSSIM-/' "$log" |
    grep -E 'PCSSIM-|general protection fault|RIP:|BUG:|Oops' | grep -v 'PCSSIM-ACTION' | head -6 | sed 's/^/    | /'
done
exit $fail
