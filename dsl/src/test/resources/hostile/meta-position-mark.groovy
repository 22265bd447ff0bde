// expect: '$pos' is not allowed
$pos(1, 1)
