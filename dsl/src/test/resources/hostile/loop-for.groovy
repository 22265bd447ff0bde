// expect: took longer than
for (;;) ;
