// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: a Lynx-like PCS provider. probe() allocates its
 * struct phylink_pcs with devm_kzalloc() and registers it; the PCS reports
 * link by polling (pcs->poll), so phylink calls pcs_get_state() from
 * phylink_resolve() about once a second. remove() unregisters it; devres
 * then frees the memory, which slub_debug=P poisons with 0x6b.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include "pcssim.h"

struct pcssim_pcs_priv {
	struct phylink_pcs pcs;
	struct device *dev;
};

static void pcssim_pcs_get_state(struct phylink_pcs *pcs, struct phylink_link_state *state)
{
	state->link = 1;
	state->speed = SPEED_1000;
	state->duplex = DUPLEX_FULL;
	state->an_complete = 1;
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

static int pcssim_pcs_probe(struct platform_device *pdev)
{
	struct pcssim_pcs_priv *priv;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->pcs.ops = &pcssim_pcs_ops;
	priv->pcs.poll = true;
	priv->dev = &pdev->dev;
	platform_set_drvdata(pdev, priv);
	return pcssim_pcs_register(&priv->pcs, &pdev->dev, THIS_MODULE);
}

static int pcssim_pcs_remove(struct platform_device *pdev)
{
	struct pcssim_pcs_priv *priv = platform_get_drvdata(pdev);

	pcssim_pcs_unregister(&priv->pcs);
	return 0;
}

static struct platform_driver pcssim_pcs_driver = {
	.probe = pcssim_pcs_probe,
	.remove = pcssim_pcs_remove,
	.driver = { .name = "pcssim-pcs" },
};
module_platform_driver(pcssim_pcs_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: PCS provider");
