      * PAYRPT - prints the weekly pay register, 50 lines a page,
      * with the department name looked up in DB2.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. PAYRPT.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-LINE-COUNT           PIC 9(3) VALUE ZERO.
           88  PAGE-FULL           VALUE 50 THRU 999.
       01  WS-DEPT-NAME            PIC X(20).
       01  WS-DEPT-ID              PIC X(4).
       PROCEDURE DIVISION.
       PRINT-REGISTER.
           EXEC SQL
               SELECT DEPT_NAME INTO :WS-DEPT-NAME
                 FROM PAYROLL.DEPT
                WHERE DEPT_ID = :WS-DEPT-ID
           END-EXEC
           IF PAGE-FULL
               PERFORM NEW-PAGE
           END-IF
           ADD 1 TO WS-LINE-COUNT
           GOBACK.
       NEW-PAGE.
           MOVE ZERO TO WS-LINE-COUNT.
