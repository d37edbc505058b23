// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: a PHY driver in a module of its own (as realtek.ko
 * drives an RTL8221B), bound to the board's PHY, the fixed PHY fixed-0:00
 * that pcssim_core phy=1 registers. The fixed PHY's emulated registers
 * (swphy) report PHY ID 0, which only fixed PHYs have: the driver matches
 * that ID exactly. read_status() is genphy_read_status() (the link bit of
 * the emulated BMSR, which pcssim_core's phy_link sets) followed by what
 * an interface-switching PHY's driver does with link up: it reads the
 * SerDes mode the PHY chose and sets phydev->interface
 * (rtl822xb_update_interface(): SGMII or 2500base-x). phylib tells
 * phylink the interface in phy_link_up() -> phylink_phy_change().
 *
 * Unbound through /sys/bus/mdio_bus/drivers/pcssim-phy/unbind, phylib's
 * phy_remove() runs under a MAC that still has the PHY attached.
 */
#include <linux/module.h>
#include <linux/phy.h>
#include "pcssim.h"

static int pcssim_phy_read_status(struct phy_device *phydev)
{
	int err = genphy_read_status(phydev);

	if (err)
		return err;
	if (phydev->link)
		phydev->interface = pcssim_phy_hw_interface();
	return 0;
}

static struct phy_driver pcssim_phy_drivers[] = {
	{
		PHY_ID_MATCH_EXACT(0),
		.name = "pcssim-phy",
		.read_status = pcssim_phy_read_status,
	},
};

module_phy_driver(pcssim_phy_drivers);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: PHY driver of the board's fixed PHY, in a module of its own");
