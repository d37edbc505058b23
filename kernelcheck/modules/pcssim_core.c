// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: the "PCS core" of the 2022 RFC in miniature (a
 * registry the MAC looks its PCS up in) and the board: the platform devices
 * pcssim-pcs.0 and pcssim-mac.0, which outlive their drivers' modules.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include "pcssim.h"

static DEFINE_MUTEX(pcssim_lock);
static struct phylink_pcs *reg_pcs;
static struct device *reg_dev;
static struct module *reg_owner;
static const struct pcssim_pcs_client *watcher;
static struct platform_device *pcs_pdev, *mac_pdev;

int pcssim_pcs_register(struct phylink_pcs *pcs, struct device *dev, struct module *owner)
{
	const struct pcssim_pcs_client *c;

	mutex_lock(&pcssim_lock);
	reg_pcs = pcs;
	reg_dev = dev;
	reg_owner = owner;
	c = watcher;
	mutex_unlock(&pcssim_lock);
	if (c && c->available)
		c->available(c->data, pcs);
	return 0;
}
EXPORT_SYMBOL_GPL(pcssim_pcs_register);

/* Called from the provider's remove(), before devres frees the PCS. */
void pcssim_pcs_unregister(struct phylink_pcs *pcs)
{
	const struct pcssim_pcs_client *c;

	mutex_lock(&pcssim_lock);
	if (reg_pcs == pcs) {
		reg_pcs = NULL;
		reg_dev = NULL;
		reg_owner = NULL;
	}
	c = watcher;
	mutex_unlock(&pcssim_lock);
	if (c && c->release)
		c->release(c->data);
}
EXPORT_SYMBOL_GPL(pcssim_pcs_unregister);

struct phylink_pcs *pcssim_pcs_find(struct device **devp, struct module **ownerp)
{
	struct phylink_pcs *pcs;

	mutex_lock(&pcssim_lock);
	pcs = reg_pcs;
	if (pcs) {
		*devp = reg_dev;
		*ownerp = reg_owner;
	}
	mutex_unlock(&pcssim_lock);
	return pcs ? pcs : ERR_PTR(-EPROBE_DEFER);
}
EXPORT_SYMBOL_GPL(pcssim_pcs_find);

void pcssim_pcs_watch(const struct pcssim_pcs_client *c)
{
	mutex_lock(&pcssim_lock);
	watcher = c;
	mutex_unlock(&pcssim_lock);
}
EXPORT_SYMBOL_GPL(pcssim_pcs_watch);

static int __init pcssim_core_init(void)
{
	pcs_pdev = platform_device_register_simple("pcssim-pcs", 0, NULL, 0);
	if (IS_ERR(pcs_pdev))
		return PTR_ERR(pcs_pdev);
	mac_pdev = platform_device_register_simple("pcssim-mac", 0, NULL, 0);
	if (IS_ERR(mac_pdev)) {
		platform_device_unregister(pcs_pdev);
		return PTR_ERR(mac_pdev);
	}
	return 0;
}

static void __exit pcssim_core_exit(void)
{
	platform_device_unregister(mac_pdev);
	platform_device_unregister(pcs_pdev);
}

module_init(pcssim_core_init);
module_exit(pcssim_core_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: PCS registry and board devices");
