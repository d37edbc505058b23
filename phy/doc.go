// Package phy models phylib (drivers/net/phy/phy.c, phy_device.c): struct
// phy_device on an MDIO bus, PHY drivers, phy_attach_direct/phy_detach
// with the references they take, and the PHY state machine with
// phy_start/phy_stop under phydev->lock, polled or run by the PHY's
// threaded interrupt handler (phy_request_interrupt, phy_interrupt,
// phy_free_interrupt). Its link changes reach the MAC through
// phydev->phy_link_change (phylink_phy_change), as in the kernel.
package phy
