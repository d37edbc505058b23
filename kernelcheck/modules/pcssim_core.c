// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: the "PCS core" of the 2022 RFC in miniature (a
 * registry the MAC looks its PCS up in, one slot per lane), the board (the
 * platform devices pcssim-pcs.0 and pcssim-mac.0..N-1, which outlive their
 * drivers' modules), interrupt lines standing in for request_irq()/free_irq()
 * and the rendezvous that forces a race at the point pcssim reports.
 */
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include "pcssim.h"

static int macs = 1;
module_param(macs, int, 0444);
MODULE_PARM_DESC(macs, "MAC devices pcssim-mac.0..N-1 (1-4)");
static char race[32];
module_param_string(race, race, sizeof(race), 0444);
MODULE_PARM_DESC(race, "forced interleaving: pcs-remove, mac-free-irq or pcs-get-state (empty: none)");
static bool race_armed = true;
module_param(race_armed, bool, 0644);
MODULE_PARM_DESC(race_armed, "the race point waits only while armed (write 1 to arm it later)");

static DEFINE_MUTEX(pcssim_lock);
static struct {
	struct phylink_pcs *pcs;
	struct device *dev;
	struct module *owner;
	const struct pcssim_pcs_client *watcher;
} reg[PCSSIM_LANES];
static struct platform_device *pcs_pdev, *mac_pdev[PCSSIM_LANES];

int pcssim_pcs_register(unsigned int lane, struct phylink_pcs *pcs, struct device *dev,
			struct module *owner)
{
	const struct pcssim_pcs_client *c;

	if (lane >= PCSSIM_LANES)
		return -EINVAL;
	mutex_lock(&pcssim_lock);
	reg[lane].pcs = pcs;
	reg[lane].dev = dev;
	reg[lane].owner = owner;
	c = reg[lane].watcher;
	mutex_unlock(&pcssim_lock);
	if (c && c->available)
		c->available(c->data, pcs);
	return 0;
}
EXPORT_SYMBOL_GPL(pcssim_pcs_register);

/* Called from the provider's remove(), before devres frees the PCS. */
void pcssim_pcs_unregister(unsigned int lane)
{
	const struct pcssim_pcs_client *c;

	if (lane >= PCSSIM_LANES)
		return;
	mutex_lock(&pcssim_lock);
	reg[lane].pcs = NULL;
	reg[lane].dev = NULL;
	reg[lane].owner = NULL;
	c = reg[lane].watcher;
	mutex_unlock(&pcssim_lock);
	if (c && c->release)
		c->release(c->data);
}
EXPORT_SYMBOL_GPL(pcssim_pcs_unregister);

struct phylink_pcs *pcssim_pcs_find(unsigned int lane, struct device **devp, struct module **ownerp)
{
	struct phylink_pcs *pcs = NULL;

	if (lane >= PCSSIM_LANES)
		return ERR_PTR(-EINVAL);
	mutex_lock(&pcssim_lock);
	pcs = reg[lane].pcs;
	if (pcs) {
		*devp = reg[lane].dev;
		*ownerp = reg[lane].owner;
	}
	mutex_unlock(&pcssim_lock);
	return pcs ? pcs : ERR_PTR(-EPROBE_DEFER);
}
EXPORT_SYMBOL_GPL(pcssim_pcs_find);

void pcssim_pcs_watch(unsigned int lane, const struct pcssim_pcs_client *c)
{
	if (lane >= PCSSIM_LANES)
		return;
	mutex_lock(&pcssim_lock);
	reg[lane].watcher = c;
	mutex_unlock(&pcssim_lock);
}
EXPORT_SYMBOL_GPL(pcssim_pcs_watch);

/* Interrupt lines: see pcssim.h. Each line's mutex is what free_irq()'s
 * synchronize_irq() gives a real handler. */
static struct pcssim_irq {
	struct mutex lock;
	void (*handler)(void *data, bool up);
	void *data;
	bool link;
} irqs[PCSSIM_IRQS];

int pcssim_request_irq(unsigned int line, void (*handler)(void *data, bool up), void *data)
{
	if (line >= PCSSIM_IRQS)
		return -EINVAL;
	mutex_lock(&irqs[line].lock);
	irqs[line].handler = handler;
	irqs[line].data = data;
	mutex_unlock(&irqs[line].lock);
	return 0;
}
EXPORT_SYMBOL_GPL(pcssim_request_irq);

void pcssim_free_irq(unsigned int line)
{
	if (line >= PCSSIM_IRQS)
		return;
	mutex_lock(&irqs[line].lock);
	irqs[line].handler = NULL;
	irqs[line].data = NULL;
	mutex_unlock(&irqs[line].lock);
}
EXPORT_SYMBOL_GPL(pcssim_free_irq);

bool pcssim_hw_link(unsigned int line)
{
	return line < PCSSIM_IRQS && READ_ONCE(irqs[line].link);
}
EXPORT_SYMBOL_GPL(pcssim_hw_link);

/* The status register itself, for a driver that keeps a pointer to its
 * hardware (as Lynx keeps its mdio_device). */
const bool *pcssim_hw_reg(unsigned int line)
{
	return line < PCSSIM_IRQS ? &irqs[line].link : NULL;
}
EXPORT_SYMBOL_GPL(pcssim_hw_reg);

/* The rendezvous of a forced race (race=POINT): one-shot, complete_all(),
 * so that a point reached again later does not wait. A safety timeout only
 * keeps a broken row from hanging the boot; it never decides the order. */
static DECLARE_COMPLETION(race_at_point);
static DECLARE_COMPLETION(race_other_done);
static atomic_t race_reached = ATOMIC_INIT(0);
#define PCSSIM_RACE_TIMEOUT (60 * HZ)

static bool pcssim_race_is(const char *point)
{
	return race[0] && !strcmp(race, point);
}

void pcssim_race_point(const char *point)
{
	if (!pcssim_race_is(point) || !READ_ONCE(race_armed) || atomic_xchg(&race_reached, 1))
		return;
	pr_notice("PCSSIM-RACE %s reached: waiting for the other side\n", point);
	complete_all(&race_at_point);
	if (!wait_for_completion_timeout(&race_other_done, PCSSIM_RACE_TIMEOUT))
		pr_notice("PCSSIM-RACE %s: the other side never came (timeout)\n", point);
	else
		pr_notice("PCSSIM-RACE %s: the other side ran, going on\n", point);
}
EXPORT_SYMBOL_GPL(pcssim_race_point);

void pcssim_race_other(const char *point)
{
	if (!pcssim_race_is(point) || !completion_done(&race_at_point))
		return;
	pr_notice("PCSSIM-RACE %s: the other side has run\n", point);
	complete_all(&race_other_done);
}
EXPORT_SYMBOL_GPL(pcssim_race_other);

/* Writing anything waits until the race point is reached (the guest then
 * starts the other side). */
static int pcssim_race_wait_set(const char *val, const struct kernel_param *kp)
{
	if (!race[0])
		return -EINVAL;
	if (!wait_for_completion_timeout(&race_at_point, PCSSIM_RACE_TIMEOUT)) {
		pr_notice("PCSSIM-RACE %s never reached (timeout)\n", race);
		return -ETIMEDOUT;
	}
	return 0;
}

static const struct kernel_param_ops pcssim_race_wait_ops = {
	.set = pcssim_race_wait_set,
};
module_param_cb(race_wait, &pcssim_race_wait_ops, NULL, 0200);
MODULE_PARM_DESC(race_wait, "write 1 to wait until the race point is reached");

/* Writing "LINE UP" raises an interrupt; with race= set, only once the
 * racing task has reached its point. */
static int pcssim_irq_set(const char *val, const struct kernel_param *kp)
{
	unsigned int line;
	int up;

	if (sscanf(val, "%u %d", &line, &up) != 2 || line >= PCSSIM_IRQS)
		return -EINVAL;
	if (race[0]) {
		if (!wait_for_completion_timeout(&race_at_point, PCSSIM_RACE_TIMEOUT)) {
			pr_notice("PCSSIM-RACE %s never reached (timeout)\n", race);
			return -ETIMEDOUT;
		}
	}
	mutex_lock(&irqs[line].lock);
	WRITE_ONCE(irqs[line].link, !!up);
	if (irqs[line].handler) {
		pr_notice("PCSSIM-IRQ line %u link %s: handler runs\n", line, up ? "up" : "down");
		irqs[line].handler(irqs[line].data, !!up);
	} else {
		pr_notice("PCSSIM-IRQ line %u link %s: no handler (freed)\n", line, up ? "up" : "down");
	}
	mutex_unlock(&irqs[line].lock);
	if (race[0])
		complete_all(&race_other_done);
	return 0;
}

static const struct kernel_param_ops pcssim_irq_ops = {
	.set = pcssim_irq_set,
};
module_param_cb(irq, &pcssim_irq_ops, NULL, 0200);
MODULE_PARM_DESC(irq, "write \"LINE UP\" to raise interrupt LINE with link level UP (0/1)");

/* Writing 1 hot-unplugs pcssim-pcs.0: device_del() and the board's put,
 * as when the PCS's parent bus goes (rmk-2022-get-device). */
static int pcssim_unplug_set(const char *val, const struct kernel_param *kp)
{
	struct platform_device *pdev;

	mutex_lock(&pcssim_lock);
	pdev = pcs_pdev;
	pcs_pdev = NULL;
	mutex_unlock(&pcssim_lock);
	if (!pdev)
		return -ENODEV;
	pr_notice("PCSSIM-UNPLUG %s\n", dev_name(&pdev->dev));
	platform_device_unregister(pdev);
	return 0;
}

static const struct kernel_param_ops pcssim_unplug_ops = {
	.set = pcssim_unplug_set,
};
module_param_cb(unplug, &pcssim_unplug_ops, NULL, 0200);
MODULE_PARM_DESC(unplug, "write 1 to remove the device pcssim-pcs.0 (device_del)");

static int __init pcssim_core_init(void)
{
	int i;

	for (i = 0; i < PCSSIM_IRQS; i++) {
		mutex_init(&irqs[i].lock);
		irqs[i].link = true;
	}
	if (macs < 1 || macs > PCSSIM_LANES)
		return -EINVAL;
	pcs_pdev = platform_device_register_simple("pcssim-pcs", 0, NULL, 0);
	if (IS_ERR(pcs_pdev))
		return PTR_ERR(pcs_pdev);
	for (i = 0; i < macs; i++) {
		mac_pdev[i] = platform_device_register_simple("pcssim-mac", i, NULL, 0);
		if (IS_ERR(mac_pdev[i])) {
			int err = PTR_ERR(mac_pdev[i]);

			while (--i >= 0)
				platform_device_unregister(mac_pdev[i]);
			platform_device_unregister(pcs_pdev);
			return err;
		}
	}
	return 0;
}

static void __exit pcssim_core_exit(void)
{
	int i;

	for (i = macs - 1; i >= 0; i--)
		platform_device_unregister(mac_pdev[i]);
	if (pcs_pdev)
		platform_device_unregister(pcs_pdev);
}

module_init(pcssim_core_init);
module_exit(pcssim_core_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: PCS registry, board devices, interrupt lines, forced races");
