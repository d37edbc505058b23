/* SPDX-License-Identifier: GPL-2.0 */
/* pcssim kernel check: the PCS registry shared by the test modules. */
#ifndef PCSSIM_H
#define PCSSIM_H

#include <linux/phylink.h>

/* A MAC that asked to be told when the PCS goes away or comes back
 * (the phylink-notify strategy). */
struct pcssim_pcs_client {
	void (*release)(void *data);
	void (*available)(void *data, struct phylink_pcs *pcs);
	void *data;
};

int pcssim_pcs_register(struct phylink_pcs *pcs, struct device *dev, struct module *owner);
void pcssim_pcs_unregister(struct phylink_pcs *pcs);
struct phylink_pcs *pcssim_pcs_find(struct device **devp, struct module **ownerp);
void pcssim_pcs_watch(const struct pcssim_pcs_client *c);

#endif
