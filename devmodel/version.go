package devmodel

import "fmt"

// Version is a kernel version the model follows: the Debian 6.1 and 6.12
// kernels pcssim is checked against, and the newest mainline read
// (net-next). Behaviour that differs between them is a Feature, consulted
// where the model forks; nowhere else compares versions.
type Version uint8

// Kernel versions, oldest first. The zero Version is DefaultVersion.
const (
	V6_1 Version = iota + 1
	V6_12
	VNetNext
)

// DefaultVersion is the LTS kernel of Debian's current stable release.
const DefaultVersion = V6_12

// VersionNames are the versions' identifiers (--kernel, kernel:), oldest
// first.
var VersionNames = []string{"6.1", "6.12", "net-next"}

// String returns the version's identifier.
func (v Version) String() string { return VersionNames[v.resolved()-1] }

// resolved maps the zero Version to DefaultVersion.
func (v Version) resolved() Version {
	if v == 0 {
		return DefaultVersion
	}
	return v
}

// ParseVersion returns the version called name.
func ParseVersion(name string) (Version, error) {
	for i, n := range VersionNames {
		if n == name {
			return Version(i + 1), nil
		}
	}
	return 0, fmt.Errorf("unknown kernel version %q (known: 6.1, 6.12, net-next)", name)
}

// Feature is a behaviour of the model that not every kernel version has.
type Feature uint8

// Features, in the order of FeatureTable.
const (
	// FeatPCSEnableDisable: phylink calls pcs_enable/pcs_disable
	// (phylink_pcs_enable/disable, pl->pcs_state): at phylink_start's
	// initial config, on a PCS change in phylink_major_config, and in
	// phylink_stop.
	FeatPCSEnableDisable Feature = iota
	// FeatPCSBackPointer: struct phylink_pcs has a phylink back pointer,
	// set and cleared by phylink_major_config on a PCS change, and PCS
	// drivers report link changes with phylink_pcs_change(pcs, up)
	// (before: only the MAC could, with phylink_mac_change(pl, up)).
	FeatPCSBackPointer
	// FeatSelectPCSRemoves: mac_select_pcs() returning NULL removes the
	// PCS (pcs_changed = pl->pcs != pcs); before, NULL kept the old one.
	FeatSelectPCSRemoves
	// FeatTimerDeleteNames: the timer API is timer_delete/timer_delete_sync
	// (the treewide rename); before, del_timer/del_timer_sync.
	FeatTimerDeleteNames
	// FeatFwDevlinkRPM: fw_devlink defaults to rpm (on before).
	FeatFwDevlinkRPM
	// FeatFwnodePCSBase: the posted fwnode-PCS series apply (their
	// of_supplier_bindings entry for pcs-handle is Kernel.FwPCSHandle).
	FeatFwnodePCSBase
	// FeatNoPCSNegMode: struct phylink_pcs has no neg_mode flag;
	// phylink_change_inband_advert passes pl->pcs to phylink_pcs_config,
	// which checks NULL (before, it read pl->pcs->neg_mode unchecked).
	FeatNoPCSNegMode
)

// FeatureInfo documents a Feature: what changed, where, and the first
// kernel that has it.
type FeatureInfo struct {
	Name     string
	Function string
	What     string
	// Since is the first mainline release with the change, and Commit
	// the change itself (title, as in the kernel's history).
	Since, Commit string
	first         Version
}

// FeatureTable lists every feature; docs/fidelity.md shows the same table.
var FeatureTable = []FeatureInfo{
	FeatPCSEnableDisable: {"pcs-enable-disable", "phylink_pcs_enable/disable, phylink_major_config, phylink_stop",
		"phylink enables the PCS when it starts or changes and disables it in phylink_stop and on a change", "v6.4",
		"net: phylink: add pcs_enable()/pcs_disable() methods", V6_12},
	FeatPCSBackPointer: {"pcs-phylink", "phylink_major_config, phylink_pcs_change",
		"pcs->phylink is set on a PCS change (never cleared by phylink_stop or phylink_destroy); a PCS reports link with phylink_pcs_change(pcs, up)", "v6.4",
		"net: phylink: add phylink_pcs_change() to report PCS link change events", V6_12},
	FeatSelectPCSRemoves: {"select-pcs-null-removes", "phylink_major_config",
		"mac_select_pcs() returning NULL takes the PCS away (disable, pcs->phylink = NULL, pl->pcs = NULL); before, the old PCS stayed", "v6.13",
		"net: phylink: allow mac_select_pcs() to remove a PCS", VNetNext},
	FeatTimerDeleteNames: {"timer-delete", "phylink_stop, phylink_pcs_poll_stop",
		"timer_delete_sync/timer_delete instead of del_timer_sync/del_timer (same semantics; names in reports)", "v6.15",
		"treewide: Switch/rename to timer_delete[_sync]()", VNetNext},
	FeatFwDevlinkRPM: {"fw-devlink-rpm", "fw_devlink_setup",
		"fw_devlink defaults to rpm (on: links for suppliers found in firmware; rpm adds runtime-PM)", "v6.8",
		"driver core: Enable fw_devlink=rpm by default", V6_12},
	FeatFwnodePCSBase: {"fwnode-pcs-base", "of_supplier_bindings (drivers/of/property.c)",
		"the posted fwnode-PCS series apply: fw_devlink_pcs_handle makes fw_devlink parse pcs-handle (RFC v8 08/12 \"of: property: fw_devlink: Add support for pcs-handle\")", "posted",
		"net: pcs: Introduce support for fwnode PCS (RFC v8); net: pcs: Add subsystem (v6)", VNetNext},
	FeatNoPCSNegMode: {"no-pcs-neg-mode", "phylink_change_inband_advert (ethtool -A)",
		"pl->pcs->neg_mode is no longer read: a NULL pl->pcs is passed to phylink_pcs_config, which ignores it", "v6.15",
		"net: remove phylink_pcs .neg_mode boolean", VNetNext},
}

// Has reports whether version v has feature f.
func (v Version) Has(f Feature) bool { return v.resolved() >= FeatureTable[f].first }

// Has reports whether the modelled kernel has feature f.
func (k *Kernel) Has(f Feature) bool { return k.Version.Has(f) }
