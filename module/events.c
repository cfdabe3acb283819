// SPDX-License-Identifier: GPL-2.0
/*
 * The one way events leave the key code: a blocking notifier chain, since
 * every event is raised in process context and its listener allocates.
 */
#include <linux/notifier.h>

#include "events.h"

static BLOCKING_NOTIFIER_HEAD(chain);

void pc5sec_event_raise(const struct pc5sec_event *ev)
{
	blocking_notifier_call_chain(&chain, ev->cmd, (void *)ev);
}

int pc5sec_events_register(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&chain, nb);
}

void pc5sec_events_unregister(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&chain, nb);
}
