// expect: calling 'collectEntries' on an IntRange is not allowed
def m = (1..2000000000).collectEntries { [(it): it] }
