// Package mdio models the MDIO layer of drivers/net/phy/mdio_bus.c and
// mdio_device.c: struct mii_bus (alloc, register, unregister, free and
// their devm variants, with the kernel's state checks) and struct
// mdio_device with its reference count. A PCS on an MDIO bus reaches its
// registers through mdiodev->bus, a raw pointer: a bus owned by another
// driver can be unregistered and freed under it.
package mdio
