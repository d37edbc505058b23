/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcssim kernel check: what the test modules share. Built for Debian's 6.1
 * and 6.12 kernels (the two the check boots); the version tests below were
 * checked against those two kernels' headers only.
 */
#ifndef PCSSIM_H
#define PCSSIM_H

#include <linux/phylink.h>
#include <linux/version.h>

/* 6.11 made a platform driver's .remove return void. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define PCSSIM_REMOVE_RET void
#define PCSSIM_REMOVE_OK
#else
#define PCSSIM_REMOVE_RET int
#define PCSSIM_REMOVE_OK 0
#endif

/*
 * v6.4: struct phylink_pcs has the phylink back pointer (set by
 * phylink_major_config() when the PCS changes) and a PCS reports link with
 * phylink_pcs_change(pcs, up). Before, only the MAC could, with
 * phylink_mac_change(pl, up).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define PCSSIM_HAVE_PCS_PHYLINK 1
#endif

/* 6.1: phylink_config.ovr_an_inband and mac_ops.validate; 6.12:
 * default_an_inband and no validate (phylink validates by capabilities). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define PCSSIM_INBAND(cfg) ((cfg)->default_an_inband = true)
#else
#define PCSSIM_INBAND(cfg) ((cfg)->ovr_an_inband = true)
#define PCSSIM_HAVE_VALIDATE 1
#endif

#define PCSSIM_LANES 4

/* A MAC that asked to be told when its PCS goes away or comes back
 * (the phylink-notify strategy). */
struct pcssim_pcs_client {
	void (*release)(void *data);
	void (*available)(void *data, struct phylink_pcs *pcs);
	void *data;
};

/* The PCS registry of the 2022 RFC in miniature, one slot per lane. */
int pcssim_pcs_register(unsigned int lane, struct phylink_pcs *pcs, struct device *dev,
			struct module *owner);
void pcssim_pcs_unregister(unsigned int lane);
struct phylink_pcs *pcssim_pcs_find(unsigned int lane, struct device **devp, struct module **ownerp);
void pcssim_pcs_watch(unsigned int lane, const struct pcssim_pcs_client *c);

/*
 * Interrupt lines, a stand-in for request_irq()/free_irq() of a real PCS
 * interrupt (there is no hardware under qemu). Writing "LINE UP" to
 * /sys/module/pcssim_core/parameters/irq sets the line's link level (the
 * hardware status register pcs_get_state() reads, pcssim_hw_link()) and
 * runs the handler in the writer's context, as a threaded handler would
 * run. pcssim_free_irq() waits for a running handler (free_irq() calls
 * synchronize_irq()); after it returns the handler never runs again.
 */
#define PCSSIM_IRQS 8
#define PCSSIM_IRQ_INTEGRATED 4 /* lines 4..7: a MAC's integrated PCS */
int pcssim_request_irq(unsigned int line, void (*handler)(void *data, bool up), void *data);
void pcssim_free_irq(unsigned int line);
bool pcssim_hw_link(unsigned int line);
const bool *pcssim_hw_reg(unsigned int line);

/*
 * Forced interleavings. pcssim reports a race as a schedule: one task is at
 * point P when another runs. With pcssim_core's race=P (and race_armed=1),
 * the task that reaches P calls pcssim_race_point(P), which signals a
 * completion and waits until the other side has run: the next interrupt
 * (the interrupt write waits for the first completion before it runs the
 * handler), or pcssim_race_other(P) called by the module whose action the
 * schedule puts there. No sleeps: each side waits for the other.
 */
void pcssim_race_point(const char *point);
void pcssim_race_other(const char *point);
bool pcssim_race_point_until(const char *point, bool (*other)(void *data), void *data);

/*
 * The board's PHY (pcssim_core phy=1): the fixed PHY fixed-0:00, registered
 * by pcssim_core on the fixed MDIO bus (fixed_phy_register(); the bus and
 * its owner are the fixed_phy module's), or NULL. Its link partner
 * (phy_link) and the interface it uses towards the MAC (phy_interface)
 * are hardware state: the link bit of its emulated BMSR, which any PHY
 * driver reads, and the SerDes mode pcssim_phy reads, as an interface-
 * switching PHY's driver does (rtl822xb_update_interface()).
 */
struct phy_device *pcssim_board_phy(void);
phy_interface_t pcssim_phy_hw_interface(void);

#ifdef PCSSIM_PHYLINK_RELEASE_PCS
/*
 * Only with the phylink.ko that kernelcheck builds from 6.12's own
 * phylink.c plus phylink_release_pcs() as pcssim's phylink-notify-racy
 * models it (rtnl held, no state_mutex). No released kernel has it.
 */
void phylink_release_pcs(struct phylink_pcs *pcs);
#endif

#endif
