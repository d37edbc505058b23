// Package devmodel models the Linux driver model on top of sim: buses,
// devices, drivers, modules, kref, devres, device links, deferred probe,
// sysfs bind/unbind, workqueues and timers, and the object heap that detects
// use-after-free, double free and leaks. Model functions carry the names of
// the kernel functions they stand for (drivers/base/dd.c, core.c, devres.c,
// bus.c, kernel/module/main.c, kernel/workqueue.c, kernel/time/timer.c).
package devmodel
