      *>---------------------------------------------------------------*
      *> ADDRBLK  - POSTAL ADDRESS BLOCK (US), 05-LEVEL. COPIED INSIDE *
      *>            ACCTREC; KEEP LEVEL NUMBERS AT 05/10/15.           *
      *> 2016-09-12 GNU PORT: COMMENTS WRITTEN AS *> SO THAT THE       *
      *>            FREE-FORMAT PROGRAMS (LOANDLQ) CAN COPY IT.        *
      *>---------------------------------------------------------------*
           05  ACCT-ADDRESS.
               10  ACCT-ADDR-LINE1     PIC X(30).
               10  ACCT-ADDR-LINE2     PIC X(30).
               10  ACCT-CITY           PIC X(20).
               10  ACCT-STATE          PIC X(02).
               10  ACCT-ZIP.
                   15  ACCT-ZIP5       PIC X(05).
                   15  ACCT-ZIP4       PIC X(04).
