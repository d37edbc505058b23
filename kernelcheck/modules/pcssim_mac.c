// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: a MAC driver (one device per port, pcssim-mac.N
 * carries ethN and uses PCS lane N). probe() looks up the PCS (or creates
 * its own: self-pin, or pcs=integrated-irq), holds it according to the
 * lifetime strategy of the "strategy" parameter, creates ethN with a
 * phylink instance in in-band SGMII mode whose mac_select_pcs() returns that
 * PCS, and, with netdevs=2, a second netdev without a PCS (the port the root
 * filesystem would be mounted over). remove() undoes it in the in-tree
 * order: unregister_netdev, phylink_destroy, free the PCS interrupt, drop
 * the PCS; remove_order=put-pcs-first drops (frees) an integrated PCS
 * before freeing its interrupt, the driver bug of pcssim's xpcs-irq-order.
 *
 * Strategies (the ones a 6.1 kernel can express):
 *   none            bare pointer
 *   device-ref      get_device() on the PCS device
 *   module-ref      try_module_get() of the PCS driver's module + get_device()
 *   device-link     managed device link MAC -> PCS (DL_FLAG_AUTOREMOVE_CONSUMER)
 *   phylink-notify  the PCS core tells the MAC, which takes rtnl, stops
 *                   phylink, forgets the PCS and restarts phylink (and picks a
 *                   re-registered PCS up the same way)
 *   self-pin        the MAC creates its own PCS and "gets" it: try_module_get()
 *                   of its own module
 *   phylink-notify-racy  (patched phylink.ko only) the provider's remove()
 *                   calls phylink_release_pcs() under rtnl only; the MAC
 *                   just stops returning the PCS
 *
 * With phylink-notify on 6.4+, the MAC also clears pcs->phylink under rtnl
 * before phylink_destroy(): what pcssim's reference design does inside
 * phylink_destroy() (mainline never clears it, so a PCS interrupt after the
 * MAC went finds the freed struct phylink).
 *
 * phy=fixed: ethN has a PHY, the board's (pcssim_core phy=1), connected as
 * ENETC connects its phy-handle: in ndo_open, phylink_connect_phy() (what
 * phylink_of_phy_connect() does once of_phy_find_device() found the PHY:
 * phy_attach_direct(), then phylink_bringup_phy()) before phylink_start(),
 * and in ndo_stop phylink_disconnect_phy() after phylink_stop(). phylink is
 * then in-band with a PHY: resolve configures the MAC only when the PHY has
 * link, in the PHY's interface (SGMII or 2500base-x). mac_config() is the
 * race point mac-config: armed, it waits there (holding state_mutex, in
 * the resolve's phylink_major_config()) until phy_stop() holds
 * phydev->lock in PHY_HALTED, where its link down waits for state_mutex.
 *
 * pcs=integrated-irq: the MAC creates its own interrupt-driven PCS, as
 * stmmac creates its XPCS (xpcs_create() kzalloc()s it, xpcs_destroy()
 * kfree()s it), on interrupt line 4+N. Its handler reports link with
 * phylink_pcs_change(pcs, up) on 6.4+ and, on 6.1, with
 * phylink_mac_change() on the MAC's phylink, found through the PCS.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include "pcssim.h"

static char *strategy = "none";
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "none, device-ref, module-ref, device-link, phylink-notify or self-pin");
static int netdevs = 1;
module_param(netdevs, int, 0444);
MODULE_PARM_DESC(netdevs, "1, or 2 for a second netdev without a PCS (pcssim-mac.0 only)");
static char *pcs = "registry";
module_param(pcs, charp, 0444);
MODULE_PARM_DESC(pcs, "registry (look the standalone PCS up) or integrated-irq (create an XPCS-like one)");
static char *phy = "";
module_param(phy, charp, 0444);
MODULE_PARM_DESC(phy, "empty (no PHY) or fixed: connect the board's PHY in ndo_open (pcssim_core phy=1)");
static char *remove_order = "in-tree";
module_param(remove_order, charp, 0444);
MODULE_PARM_DESC(remove_order, "in-tree (free the PCS interrupt, then the PCS) or put-pcs-first");

struct pcssim_mac;

/* An integrated PCS, like struct dw_xpcs: its own allocation. */
struct pcssim_xpcs {
	struct phylink_pcs pcs;
	struct pcssim_mac *mac;
	unsigned int line;
};

struct pcssim_mac {
	struct device *dev;
	struct net_device *nd, *nd2;
	struct phylink *pl;
	struct phylink_config cfg;
	struct phylink_pcs *pcs;
	struct device *pcs_dev;
	struct module *pcs_owner;
	struct phylink_pcs own_pcs;
	struct pcssim_xpcs *xpcs;
	struct pcssim_pcs_client client;
	unsigned int lane;
	bool has_phy;
};

struct pcssim_ndev {
	struct pcssim_mac *mac;
};

static struct phylink_pcs *pcssim_select_pcs(struct phylink_config *config, phy_interface_t interface)
{
	return container_of(config, struct pcssim_mac, cfg)->pcs;
}

/* phy_stop() has taken phydev->lock and set PHY_HALTED: its link down
 * (phylink_phy_change) now waits for state_mutex. */
static bool pcssim_phy_stopping(void *data)
{
	struct phy_device *phydev = data;

	return READ_ONCE(phydev->state) == PHY_HALTED && mutex_is_locked(&phydev->lock);
}

static void pcssim_mac_config(struct phylink_config *config, unsigned int mode,
			      const struct phylink_link_state *state)
{
	struct pcssim_mac *m = container_of(config, struct pcssim_mac, cfg);

	/* A slow mac_config() (a SerDes reconfiguration): phy-stop-slow-mac-config.
	 * Where it was called from (the resolve's phylink_major_config) is
	 * shown by the stack. */
	if (m->has_phy && pcssim_board_phy() &&
	    pcssim_race_point_until("mac-config", pcssim_phy_stopping, pcssim_board_phy())) {
		pr_notice("PCSSIM-MAC mac_config(%s) in %s returns; phy_stop waits for state_mutex\n",
			  phy_modes(state->interface), current->comm);
		dump_stack();
	}
}

static void pcssim_link_down(struct phylink_config *config, unsigned int mode, phy_interface_t interface)
{
}

static void pcssim_link_up(struct phylink_config *config, struct phy_device *phy, unsigned int mode,
			   phy_interface_t interface, int speed, int duplex, bool tx_pause, bool rx_pause)
{
}

static const struct phylink_mac_ops pcssim_mac_ops = {
#ifdef PCSSIM_HAVE_VALIDATE
	.validate = phylink_generic_validate,
#endif
	.mac_select_pcs = pcssim_select_pcs,
	.mac_config = pcssim_mac_config,
	.mac_link_down = pcssim_link_down,
	.mac_link_up = pcssim_link_up,
};

static int pcssim_open(struct net_device *nd)
{
	struct pcssim_ndev *p = netdev_priv(nd);

	if (p->mac && nd == p->mac->nd) {
		if (p->mac->pl && p->mac->has_phy) {
			/* enetc_phylink_connect(): phylink_of_phy_connect() */
			struct phy_device *phydev = pcssim_board_phy();
			int err;

			if (!phydev)
				return -ENODEV;
			err = phylink_connect_phy(p->mac->pl, phydev);
			if (err)
				return err;
		}
		if (p->mac->pl)
			phylink_start(p->mac->pl);
	} else
		netif_carrier_on(nd);
	return 0;
}

static int pcssim_stop(struct net_device *nd)
{
	struct pcssim_ndev *p = netdev_priv(nd);

	if (p->mac && nd == p->mac->nd && p->mac->pl) {
		phylink_stop(p->mac->pl);
		if (p->mac->has_phy)
			phylink_disconnect_phy(p->mac->pl);
	}
	return 0;
}

static netdev_tx_t pcssim_xmit(struct sk_buff *skb, struct net_device *nd)
{
	dev_kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops pcssim_netdev_ops = {
	.ndo_open = pcssim_open,
	.ndo_stop = pcssim_stop,
	.ndo_start_xmit = pcssim_xmit,
};

/* The MAC's own PCSs (self-pin's and the integrated one): their ops live in
 * this module; the link status is the interrupt line's hardware level
 * (self-pin's PCS has no line: always up). */
static void pcssim_own_get_state(struct phylink_pcs *pcs, struct phylink_link_state *state)
{
	state->link = 1;
	state->speed = SPEED_1000;
	state->duplex = DUPLEX_FULL;
	state->an_complete = 1;
}

static void pcssim_xpcs_get_state(struct phylink_pcs *pcs, struct phylink_link_state *state)
{
	struct pcssim_xpcs *xpcs = container_of(pcs, struct pcssim_xpcs, pcs);

	state->link = pcssim_hw_link(xpcs->line);
	state->speed = SPEED_1000;
	state->duplex = DUPLEX_FULL;
	state->an_complete = state->link;
}

static int pcssim_own_config(struct phylink_pcs *pcs, unsigned int mode, phy_interface_t interface,
			     const unsigned long *advertising, bool permit_pause_to_mac)
{
	return 0;
}

static void pcssim_own_an_restart(struct phylink_pcs *pcs)
{
}

static const struct phylink_pcs_ops pcssim_own_ops = {
	.pcs_get_state = pcssim_own_get_state,
	.pcs_config = pcssim_own_config,
	.pcs_an_restart = pcssim_own_an_restart,
};

static const struct phylink_pcs_ops pcssim_xpcs_ops = {
	.pcs_get_state = pcssim_xpcs_get_state,
	.pcs_config = pcssim_own_config,
	.pcs_an_restart = pcssim_own_an_restart,
};

/* The integrated PCS's interrupt handler. It reads the PCS first: after
 * xpcs_destroy() that is freed (poisoned) memory. */
static void pcssim_xpcs_irq_handler(void *data, bool up)
{
	struct pcssim_xpcs *xpcs = data;

#ifdef PCSSIM_HAVE_PCS_PHYLINK
	phylink_pcs_change(&xpcs->pcs, up);
#else
	phylink_mac_change(xpcs->mac->pl, up);
#endif
}

/* phylink-notify, 6.4+: what pcssim's reference phylink_destroy() does. */
static void pcssim_forget_phylink(struct pcssim_mac *m)
{
#ifdef PCSSIM_HAVE_PCS_PHYLINK
	if (!strncmp(strategy, "phylink-notify", 14) && m->pcs)
		m->pcs->phylink = NULL;
#endif
}

/*
 * phylink-notify: swap the PCS with phylink stopped, under rtnl.
 *
 * On 6.1 and 6.12, phylink cannot be told to forget a PCS:
 * phylink_major_config() only updates pl->pcs when mac_select_pcs() returns
 * a different non-NULL PCS (until v6.13), so returning NULL leaves the freed
 * PCS in pl->pcs (observed on 6.1: the first version of this function, which
 * only stopped and restarted phylink, oopsed in phylink_mac_pcs_get_state).
 * Until phylink_release_pcs() exists, the MAC recreates its phylink
 * instance, which is what that function does for it in the proposals.
 */
static void pcssim_swap_pcs(struct pcssim_mac *m, struct phylink_pcs *pcs)
{
	struct phylink *pl;
	bool running;

	rtnl_lock();
	running = netif_running(m->nd);
	if (running) {
		phylink_stop(m->pl);
		if (m->has_phy)
			phylink_disconnect_phy(m->pl);
	}
	pcssim_forget_phylink(m);
	/* Under rtnl, so that nothing opens the netdev in between (6.12's
	 * kernel-doc asks for no rtnl because of the SFP bus; there is none). */
	phylink_destroy(m->pl);
	m->pcs = pcs;
	pl = phylink_create(&m->cfg, NULL, PHY_INTERFACE_MODE_SGMII, &pcssim_mac_ops);
	if (IS_ERR(pl)) {
		dev_err(m->dev, "phylink_create: %pe\n", pl);
		m->pl = NULL;
	} else {
		m->pl = pl;
		if (running && m->has_phy && pcssim_board_phy() &&
		    phylink_connect_phy(m->pl, pcssim_board_phy()))
			dev_err(m->dev, "phylink_connect_phy failed\n");
		if (running)
			phylink_start(m->pl);
	}
	rtnl_unlock();
}

static void pcssim_release(void *data)
{
	pcssim_swap_pcs(data, NULL);
}

static void pcssim_available(void *data, struct phylink_pcs *pcs)
{
	pcssim_swap_pcs(data, pcs);
}

/* phylink-notify-racy: phylink itself let go of the PCS (the provider
 * called phylink_release_pcs()); the MAC only stops returning it. */
static void pcssim_forget_pcs(void *data)
{
	struct pcssim_mac *m = data;

	rtnl_lock();
	m->pcs = NULL;
	rtnl_unlock();
}

static struct net_device *pcssim_new_netdev(struct pcssim_mac *m, const char *name)
{
	struct net_device *nd = alloc_netdev(sizeof(struct pcssim_ndev), name, NET_NAME_USER, ether_setup);
	struct pcssim_ndev *p;

	if (!nd)
		return NULL;
	p = netdev_priv(nd);
	p->mac = m;
	nd->netdev_ops = &pcssim_netdev_ops;
	eth_hw_addr_random(nd);
	SET_NETDEV_DEV(nd, m->dev);
	return nd;
}

static int pcssim_take_pcs(struct pcssim_mac *m)
{
	struct phylink_pcs *found;

	if (!strcmp(strategy, "self-pin")) {
		m->own_pcs.ops = &pcssim_own_ops;
		m->own_pcs.poll = true;
		m->pcs = &m->own_pcs;
		__module_get(THIS_MODULE); /* the MAC "gets" the PCS it created */
		return 0;
	}
	if (!strcmp(pcs, "integrated-irq")) {
		/* xpcs_create() */
		m->xpcs = kzalloc(sizeof(*m->xpcs), GFP_KERNEL);
		if (!m->xpcs)
			return -ENOMEM;
		m->xpcs->pcs.ops = &pcssim_xpcs_ops;
		m->xpcs->mac = m;
		m->xpcs->line = PCSSIM_IRQ_INTEGRATED + m->lane;
		m->pcs = &m->xpcs->pcs;
		return 0;
	}
	found = pcssim_pcs_find(m->lane, &m->pcs_dev, &m->pcs_owner);
	if (IS_ERR(found))
		return PTR_ERR(found);
	if (!strcmp(strategy, "module-ref")) {
		if (!try_module_get(m->pcs_owner))
			return -ENODEV;
		get_device(m->pcs_dev);
	} else if (!strcmp(strategy, "device-ref")) {
		get_device(m->pcs_dev);
	} else if (!strcmp(strategy, "device-link")) {
		if (!device_link_add(m->dev, m->pcs_dev, DL_FLAG_AUTOREMOVE_CONSUMER))
			return -EINVAL;
	} else if (!strcmp(strategy, "phylink-notify")) {
		m->client.release = pcssim_release;
		m->client.available = pcssim_available;
		m->client.data = m;
		pcssim_pcs_watch(m->lane, &m->client);
	} else if (!strcmp(strategy, "phylink-notify-racy")) {
		m->client.release = pcssim_forget_pcs;
		m->client.data = m;
		pcssim_pcs_watch(m->lane, &m->client);
	}
	m->pcs = found;
	return 0;
}

static void pcssim_put_pcs(struct pcssim_mac *m)
{
	if (!strcmp(strategy, "self-pin")) {
		module_put(THIS_MODULE);
	} else if (m->xpcs) {
		kfree(m->xpcs); /* xpcs_destroy() */
		m->xpcs = NULL;
	} else if (!strcmp(strategy, "module-ref")) {
		put_device(m->pcs_dev);
		module_put(m->pcs_owner);
	} else if (!strcmp(strategy, "device-ref")) {
		put_device(m->pcs_dev);
	} else if (!strncmp(strategy, "phylink-notify", 14)) {
		pcssim_pcs_watch(m->lane, NULL);
	}
	m->pcs = NULL;
}

static int pcssim_mac_probe(struct platform_device *pdev)
{
	struct pcssim_mac *m;
	char name[IFNAMSIZ];
	int err;

	m = devm_kzalloc(&pdev->dev, sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dev = &pdev->dev;
	m->lane = pdev->id;
	platform_set_drvdata(pdev, m);
	err = pcssim_take_pcs(m);
	if (err)
		return err;
	err = -ENOMEM;
	snprintf(name, sizeof(name), "eth%u", m->lane);
	m->nd = pcssim_new_netdev(m, name);
	if (!m->nd)
		goto put;
	m->cfg.dev = &m->nd->dev;
	m->cfg.type = PHYLINK_NETDEV;
	PCSSIM_INBAND(&m->cfg);
	m->cfg.mac_capabilities = MAC_1000FD | MAC_SYM_PAUSE;
	__set_bit(PHY_INTERFACE_MODE_SGMII, m->cfg.supported_interfaces);
	m->has_phy = !strcmp(phy, "fixed") && m->lane == 0;
	if (m->has_phy) {
		/* The PHY may switch to 2500base-x. */
		m->cfg.mac_capabilities |= MAC_2500FD;
		__set_bit(PHY_INTERFACE_MODE_2500BASEX, m->cfg.supported_interfaces);
	}
	m->pl = phylink_create(&m->cfg, NULL, PHY_INTERFACE_MODE_SGMII, &pcssim_mac_ops);
	if (IS_ERR(m->pl)) {
		err = PTR_ERR(m->pl);
		goto free;
	}
	if (m->xpcs)
		pcssim_request_irq(m->xpcs->line, pcssim_xpcs_irq_handler, m->xpcs);
	err = register_netdev(m->nd);
	if (err)
		goto destroy;
	if (netdevs == 2 && m->lane == 0) {
		m->nd2 = pcssim_new_netdev(m, "eth1");
		if (m->nd2 && register_netdev(m->nd2)) {
			free_netdev(m->nd2);
			m->nd2 = NULL;
		}
	}
	return 0;
destroy:
	if (m->xpcs)
		pcssim_free_irq(m->xpcs->line);
	phylink_destroy(m->pl);
free:
	free_netdev(m->nd);
put:
	pcssim_put_pcs(m);
	return err;
}

static PCSSIM_REMOVE_RET pcssim_mac_remove(struct platform_device *pdev)
{
	struct pcssim_mac *m = platform_get_drvdata(pdev);
	unsigned int line = m->xpcs ? m->xpcs->line : 0;
	bool irq = m->xpcs;

	if (m->nd2) {
		unregister_netdev(m->nd2);
		free_netdev(m->nd2);
	}
	unregister_netdev(m->nd);
	if (m->pl) {
		rtnl_lock();
		pcssim_forget_phylink(m);
		rtnl_unlock();
		phylink_destroy(m->pl);
	}
	if (!strcmp(remove_order, "put-pcs-first")) {
		/* xpcs-irq-order: the PCS goes while its interrupt can still run. */
		pcssim_put_pcs(m);
		pcssim_race_point("mac-free-irq");
		if (irq)
			pcssim_free_irq(line);
	} else {
		if (irq)
			pcssim_free_irq(line);
		pcssim_put_pcs(m);
	}
	free_netdev(m->nd);
	return PCSSIM_REMOVE_OK;
}

static struct platform_driver pcssim_mac_driver = {
	.probe = pcssim_mac_probe,
	.remove = pcssim_mac_remove,
	.driver = { .name = "pcssim-mac" },
};

static int __init pcssim_mac_init(void)
{
	if (strcmp(pcs, "registry") && strcmp(pcs, "integrated-irq"))
		return -EINVAL;
#ifndef PCSSIM_PHYLINK_RELEASE_PCS
	if (!strcmp(strategy, "phylink-notify-racy"))
		return -EINVAL; /* needs the patched phylink.ko */
#endif
	if (strcmp(remove_order, "in-tree") && strcmp(remove_order, "put-pcs-first"))
		return -EINVAL;
	if (strcmp(phy, "") && strcmp(phy, "fixed"))
		return -EINVAL;
	return platform_driver_register(&pcssim_mac_driver);
}

static void __exit pcssim_mac_exit(void)
{
	platform_driver_unregister(&pcssim_mac_driver);
}

module_init(pcssim_mac_init);
module_exit(pcssim_mac_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: MAC driver with selectable PCS lifetime strategy");
