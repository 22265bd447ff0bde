// expect: calling 'collectEntries' on a range is not allowed
def m = (1..2000000000).collectEntries { [(it): it] }
