// Package phylink models drivers/net/phy/phylink.c — one instance per
// netdev with its resolve work, PCS poll timer, state_mutex and PCS
// handling — and the MAC drivers and netdevs that use it.
package phylink
