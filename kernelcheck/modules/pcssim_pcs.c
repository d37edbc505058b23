// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: a standalone PCS provider (drivers/net/pcs/ style).
 * probe() allocates its lanes' struct phylink_pcs in one devm_kzalloc()
 * (lanes=4: a QSGMII block serving four MACs, like pcs-lynx on a QSGMII
 * SerDes) and registers each lane. With link=poll (the default, as Lynx)
 * pcs->poll is set and phylink calls pcs_get_state() from phylink_resolve()
 * about once a second; with link=irq the PCS reports link changes from its
 * interrupt handler (6.4+: phylink_pcs_change(pcs, up); 6.1 has no way for a
 * standalone PCS to do that, so link=irq is refused there, as pcssim's
 * loader refuses a standalone interrupt-driven PCS on 6.1). remove()
 * frees the interrupt, unregisters the lanes and devres frees the memory,
 * which slub_debug=P poisons with 0x6b.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/rtnetlink.h>
#include "pcssim.h"

static int lanes = 1;
module_param(lanes, int, 0444);
MODULE_PARM_DESC(lanes, "PCS lanes of the device (1-4), lane i serves pcssim-mac.i");
#ifdef PCSSIM_PHYLINK_RELEASE_PCS
static bool release_pcs;
module_param(release_pcs, bool, 0444);
MODULE_PARM_DESC(release_pcs, "remove() calls phylink_release_pcs() under rtnl (patched phylink.ko only)");
#endif
static char *link = "poll";
module_param(link, charp, 0444);
MODULE_PARM_DESC(link, "poll or irq (irq needs phylink_pcs_change(), 6.4+)");

struct pcssim_lane {
	struct phylink_pcs pcs;
	unsigned int line; /* interrupt line and hardware link status */
	const bool *reg;   /* the status register, as lynx->mdio */
};

struct pcssim_pcs_priv {
	struct pcssim_lane lane[PCSSIM_LANES];
	int nlanes;
	bool irq;
};

/* lynx_pcs_get_state(): the link status is read from the hardware through
 * the driver's private data (Lynx: lynx->mdio). */
static void pcssim_pcs_get_state(struct phylink_pcs *pcs, struct phylink_link_state *state)
{
	struct pcssim_lane *l = container_of(pcs, struct pcssim_lane, pcs);

	/* racy-release: phylink_resolve() holds state_mutex and has called
	 * in with pl->pcs; the release and the free happen now. */
	pcssim_race_point("pcs-get-state");
	state->link = READ_ONCE(*l->reg);
	state->speed = SPEED_1000;
	state->duplex = DUPLEX_FULL;
	state->an_complete = state->link;
}

static int pcssim_pcs_config(struct phylink_pcs *pcs, unsigned int mode, phy_interface_t interface,
			     const unsigned long *advertising, bool permit_pause_to_mac)
{
	return 0;
}

static void pcssim_pcs_an_restart(struct phylink_pcs *pcs)
{
}

static const struct phylink_pcs_ops pcssim_pcs_ops = {
	.pcs_get_state = pcssim_pcs_get_state,
	.pcs_config = pcssim_pcs_config,
	.pcs_an_restart = pcssim_pcs_an_restart,
};

#ifdef PCSSIM_HAVE_PCS_PHYLINK
/* The PCS interrupt handler: report the link change to phylink through
 * pcs->phylink (phylink_pcs_change(), v6.4+). */
static void pcssim_pcs_irq_handler(void *data, bool up)
{
	struct pcssim_lane *l = data;

	phylink_pcs_change(&l->pcs, up);
}
#endif

/* A devres action registered before the lanes' memory, so that it runs
 * after devres has freed it (devres releases in reverse order). */
static void pcssim_pcs_freed(void *data)
{
	pcssim_race_other("pcs-get-state");
}

static int pcssim_pcs_probe(struct platform_device *pdev)
{
	struct pcssim_pcs_priv *priv;
	int i, err;

	err = devm_add_action(&pdev->dev, pcssim_pcs_freed, NULL);
	if (err)
		return err;
	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->nlanes = lanes;
	priv->irq = !strcmp(link, "irq");
	platform_set_drvdata(pdev, priv);
	for (i = 0; i < priv->nlanes; i++) {
		struct pcssim_lane *l = &priv->lane[i];

		l->pcs.ops = &pcssim_pcs_ops;
		l->pcs.poll = !priv->irq;
		l->line = i;
		l->reg = pcssim_hw_reg(i);
#ifdef PCSSIM_HAVE_PCS_PHYLINK
		if (priv->irq)
			pcssim_request_irq(l->line, pcssim_pcs_irq_handler, l);
#endif
		err = pcssim_pcs_register(i, &l->pcs, &pdev->dev, THIS_MODULE);
		if (err)
			return err;
	}
	return 0;
}

static PCSSIM_REMOVE_RET pcssim_pcs_remove(struct platform_device *pdev)
{
	struct pcssim_pcs_priv *priv = platform_get_drvdata(pdev);
	int i;

	/* qsgmii-shared under device-link: the MACs (consumers) are already
	 * unbound when remove() starts; the interrupt is still requested. */
	pcssim_race_point("pcs-remove");
	for (i = 0; i < priv->nlanes; i++) {
		if (priv->irq)
			pcssim_free_irq(priv->lane[i].line);
#ifdef PCSSIM_PHYLINK_RELEASE_PCS
		if (release_pcs) {
			rtnl_lock();
			phylink_release_pcs(&priv->lane[i].pcs);
			rtnl_unlock();
		}
#endif
		pcssim_pcs_unregister(i);
	}
	return PCSSIM_REMOVE_OK;
}

static struct platform_driver pcssim_pcs_driver = {
	.probe = pcssim_pcs_probe,
	.remove = pcssim_pcs_remove,
	.driver = { .name = "pcssim-pcs" },
};

static int __init pcssim_pcs_init(void)
{
	if (lanes < 1 || lanes > PCSSIM_LANES)
		return -EINVAL;
	if (strcmp(link, "poll") && strcmp(link, "irq"))
		return -EINVAL;
#ifndef PCSSIM_HAVE_PCS_PHYLINK
	if (!strcmp(link, "irq")) {
		pr_err("pcssim-pcs: link=irq needs phylink_pcs_change() (v6.4)\n");
		return -EOPNOTSUPP;
	}
#endif
	return platform_driver_register(&pcssim_pcs_driver);
}

static void __exit pcssim_pcs_exit(void)
{
	platform_driver_unregister(&pcssim_pcs_driver);
}

module_init(pcssim_pcs_init);
module_exit(pcssim_pcs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: PCS provider");
