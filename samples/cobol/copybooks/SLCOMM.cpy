      *================================================================*
      * SLCOMM   - COMMAREA PASSED BETWEEN THE SAVINGS & LOANS ONLINE  *
      *            PROGRAMS (SLMENU, SLINQ, ...). LENGTH 64.           *
      *================================================================*
       01  SL-COMMAREA.
           05  SL-CA-FROM-PROGRAM      PIC X(08).
           05  SL-CA-USERID            PIC X(08).
           05  SL-CA-OPER-LEVEL        PIC X(01).
               88  SL-CA-TELLER        VALUE 'T'.
               88  SL-CA-SUPERVISOR    VALUE 'S'.
               88  SL-CA-AUDITOR       VALUE 'A'.
           05  SL-CA-STATE             PIC X(01).
               88  SL-CA-FIRST-TIME    VALUE 'F'.
               88  SL-CA-REENTER       VALUE 'R'.
           05  SL-CA-ACCT-NUMBER       PIC X(10).
           05  SL-CA-MESSAGE           PIC X(36).
