// expect: MiB of memory || took longer than
def l = []
while (true) { l << 'xxxxxxxxxxxxxxxx' }
