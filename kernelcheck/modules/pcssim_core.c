// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: the "PCS core" of the 2022 RFC in miniature (a
 * registry the MAC looks its PCS up in, one slot per lane), the board (the
 * platform devices pcssim-pcs.0 and pcssim-mac.0..N-1, which outlive their
 * drivers' modules; with phy=1 also a PHY, the fixed PHY fixed-0:00 on the
 * fixed MDIO bus of the fixed_phy module), interrupt lines standing in for request_irq()/free_irq()
 * and the rendezvous that forces a race at the point pcssim reports.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/phy.h>
#include <linux/phy_fixed.h>
#include <linux/platform_device.h>
#include "pcssim.h"

static int macs = 1;
module_param(macs, int, 0444);
MODULE_PARM_DESC(macs, "MAC devices pcssim-mac.0..N-1 (1-4)");
static char race[32];
module_param_string(race, race, sizeof(race), 0444);
MODULE_PARM_DESC(race, "forced interleaving: pcs-remove, mac-free-irq, pcs-get-state or mac-config (empty: none)");
static bool race_armed = true;
module_param(race_armed, bool, 0644);
MODULE_PARM_DESC(race_armed, "the race point waits only while armed (write 1 to arm it later)");

static bool phy;
module_param(phy, bool, 0444);
MODULE_PARM_DESC(phy, "register the board's PHY: a fixed PHY (fixed_phy_register) on the fixed MDIO bus");
static bool phy_link = true;
module_param(phy_link, bool, 0644);
MODULE_PARM_DESC(phy_link, "the PHY's link partner is there (its BMSR link bit, read by any PHY driver)");
static char phy_interface[16] = "sgmii";
module_param_string(phy_interface, phy_interface, sizeof(phy_interface), 0644);
MODULE_PARM_DESC(phy_interface, "the interface the PHY uses towards the MAC: sgmii or 2500base-x");

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

/* The board's PHY: its link partner and interface are hardware state the
 * PHY driver reads over MDIO (the fixed PHY's emulated registers, through
 * fixed_phy's link_update callback), whichever driver is bound. */
static struct phy_device *board_phy;

static int pcssim_phy_link_update(struct net_device *nd, struct fixed_phy_status *status)
{
	status->link = READ_ONCE(phy_link);
	return 0;
}

struct phy_device *pcssim_board_phy(void)
{
	return board_phy;
}
EXPORT_SYMBOL_GPL(pcssim_board_phy);

phy_interface_t pcssim_phy_hw_interface(void)
{
	return sysfs_streq(phy_interface, "2500base-x") ? PHY_INTERFACE_MODE_2500BASEX : PHY_INTERFACE_MODE_SGMII;
}
EXPORT_SYMBOL_GPL(pcssim_phy_hw_interface);

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

/* A race point whose other side is a state another task reaches (no
 * module can call pcssim_race_other() from there): wait until other(data)
 * holds, polling every 10 ms. True if it waited there. */
bool pcssim_race_point_until(const char *point, bool (*other)(void *data), void *data)
{
	unsigned long end = jiffies + PCSSIM_RACE_TIMEOUT;

	if (!pcssim_race_is(point) || !READ_ONCE(race_armed) || atomic_xchg(&race_reached, 1))
		return false;
	pr_notice("PCSSIM-RACE %s reached: waiting for the other side\n", point);
	complete_all(&race_at_point);
	while (!other(data)) {
		if (time_after(jiffies, end)) {
			pr_notice("PCSSIM-RACE %s: the other side never came (timeout)\n", point);
			return true;
		}
		msleep(10);
	}
	pr_notice("PCSSIM-RACE %s: the other side is there, going on\n", point);
	return true;
}
EXPORT_SYMBOL_GPL(pcssim_race_point_until);

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
	if (phy) {
		struct fixed_phy_status st = { .link = 1, .speed = SPEED_1000, .duplex = DUPLEX_FULL };

		board_phy = fixed_phy_register(PHY_POLL, &st, NULL);
		if (IS_ERR(board_phy)) {
			int err = PTR_ERR(board_phy);

			board_phy = NULL;
			return err;
		}
		fixed_phy_set_link_update(board_phy, pcssim_phy_link_update);
	}
	pcs_pdev = platform_device_register_simple("pcssim-pcs", 0, NULL, 0);
	if (IS_ERR(pcs_pdev)) {
		if (board_phy)
			fixed_phy_unregister(board_phy);
		return PTR_ERR(pcs_pdev);
	}
	for (i = 0; i < macs; i++) {
		mac_pdev[i] = platform_device_register_simple("pcssim-mac", i, NULL, 0);
		if (IS_ERR(mac_pdev[i])) {
			int err = PTR_ERR(mac_pdev[i]);

			while (--i >= 0)
				platform_device_unregister(mac_pdev[i]);
			platform_device_unregister(pcs_pdev);
			if (board_phy)
				fixed_phy_unregister(board_phy);
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
	if (board_phy)
		fixed_phy_unregister(board_phy);
}

module_init(pcssim_core_init);
module_exit(pcssim_core_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: PCS registry, board devices, interrupt lines, forced races");
