      *>===============================================================*
      *> ACCTREC  - ACCOUNT MASTER RECORD, SAVINGS & LOANS SYSTEM      *
      *>            FIXED 300 BYTES, KEY = ACCT-NUMBER                 *
      *>            USED BY ACCTVAL, INTCALC, LOANDLQ, RPTGEN, SLINQ   *
      *> 1991-03-12 RJH  ORIGINAL LAYOUT                               *
      *> 1994-08-02 MKT  ADDED LOAN DELINQUENCY FIELDS (CR 4471)       *
      *> 1998-11-20 DLW  Y2K - ALL DATES NOW CCYYMMDD                  *
      *> 2016-09-12 GNU PORT: COMMENTS WRITTEN AS *> SO THAT THE       *
      *>            FREE-FORMAT PROGRAMS (LOANDLQ) CAN COPY IT.        *
      *>===============================================================*
       01  ACCT-MASTER-REC.
           05  ACCT-NUMBER             PIC X(10).
           05  ACCT-TYPE               PIC X(01).
               88  ACCT-SAVINGS        VALUE 'S'.
               88  ACCT-CHECKING       VALUE 'C'.
               88  ACCT-LOAN           VALUE 'L'.
               88  ACCT-CD             VALUE 'T'.
               88  ACCT-TYPE-VALID     VALUE 'S' 'C' 'L' 'T'.
           05  ACCT-STATUS             PIC X(01).
               88  ACCT-ACTIVE         VALUE 'A'.
               88  ACCT-DORMANT        VALUE 'D'.
               88  ACCT-FROZEN         VALUE 'F'.
               88  ACCT-CLOSED         VALUE 'C'.
               88  ACCT-CHARGED-OFF    VALUE 'X'.
           05  ACCT-CUST-ID            PIC X(09).
           05  ACCT-CUST-NAME          PIC X(30).
      *>    POSTAL ADDRESS IS SHARED WITH THE CUSTOMER FILE LAYOUTS
           COPY ADDRBLK.
           05  ACCT-BRANCH             PIC X(04).
           05  ACCT-OPEN-DATE          PIC 9(08).
           05  ACCT-LAST-ACTIVITY-DATE PIC 9(08).
           05  ACCT-CLOSE-DATE         PIC 9(08).
           05  ACCT-BALANCE            PIC S9(11)V99 COMP-3.
           05  ACCT-AVAIL-BALANCE      PIC S9(11)V99 COMP-3.
           05  ACCT-MIN-BALANCE        PIC S9(07)V99 COMP-3.
           05  ACCT-OD-LIMIT           PIC S9(07)V99 COMP-3.
           05  ACCT-INT-RATE           PIC S9(02)V9(04) COMP-3.
           05  ACCT-ACCRUED-INT        PIC S9(09)V99 COMP-3.
           05  ACCT-YTD-INT            PIC S9(09)V99 COMP-3.
           05  ACCT-FEES-MTD           PIC S9(07)V99 COMP-3.
           05  ACCT-TXN-COUNT-MTD      PIC S9(05) COMP-3.
           05  ACCT-CD-TERM-MONTHS     PIC 9(03).
           05  ACCT-LOAN-INFO.
               10  ACCT-LOAN-PRINCIPAL PIC S9(11)V99 COMP-3.
               10  ACCT-LOAN-PMT-AMT   PIC S9(09)V99 COMP-3.
               10  ACCT-LOAN-NEXT-DUE  PIC 9(08).
               10  ACCT-DAYS-PAST-DUE  PIC S9(04) COMP.
               10  ACCT-DLQ-STATUS     PIC X(01).
                   88  LOAN-CURRENT    VALUE '0'.
                   88  LOAN-DLQ-30     VALUE '1'.
                   88  LOAN-DLQ-60     VALUE '2'.
                   88  LOAN-DLQ-90     VALUE '3'.
                   88  LOAN-DEFAULT    VALUE '9'.
           05  ACCT-STAFF-FLAG         PIC X(01).
               88  ACCT-STAFF          VALUE 'Y'.
               88  ACCT-NOT-STAFF      VALUE 'N' ' '.
           05  FILLER                  PIC X(54).
